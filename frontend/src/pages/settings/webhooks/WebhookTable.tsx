import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives';
import type { WebhookView } from '../../../api/types';
import { TableHead } from '../../../components/TableHead';
import { useNow } from '../../../hooks';
import { absoluteTime, relativeTime } from '../../../time';
import { DeliveryStateLozenge } from './DeliveryStateLozenge';
import { eventLabel } from './events';

const COLUMNS = ['Name', 'URL', 'Events', 'State', 'Last delivery'] as const;

/** What a row's buttons do. */
export interface WebhookActions {
  onLog: (webhook: WebhookView) => void;
  onTest: (webhook: WebhookView) => void;
  onEdit: (webhook: WebhookView) => void;
  onDelete: (webhook: WebhookView) => void;
}

function Status({ webhook }: { webhook: WebhookView }) {
  if (webhook.active) return <Lozenge appearance="success">Active</Lozenge>;
  if (webhook.disabledReason) return <Lozenge appearance="removed">Switched off</Lozenge>;
  return <Lozenge>Inactive</Lozenge>;
}

function LastDelivery({ webhook, now }: { webhook: WebhookView; now: number }) {
  const last = webhook.lastDelivery;
  if (!last) return <span className="ow-subtle">None yet</span>;
  return (
    <Inline space="space.075" alignBlock="center" shouldWrap>
      <DeliveryStateLozenge state={last.state} />
      {typeof last.statusCode === 'number' && (
        <span className="ow-mono">HTTP {last.statusCode}</span>
      )}
      <time dateTime={last.at} title={absoluteTime(last.at)} className="ow-subtle">
        {relativeTime(last.at, now)}
      </time>
    </Inline>
  );
}

interface WebhookTableProps extends WebhookActions {
  webhooks: WebhookView[];
  /** The webhook whose delivery log is open. */
  openLog: WebhookView['id'] | null;
  /** The webhook a test is being queued for. */
  testing: WebhookView['id'] | null;
  /** The caller may change and delete webhooks (organization admins). */
  manage: boolean;
}

/** The webhooks: name, URL, events, state, last delivery, and what can be done with each. */
export function WebhookTable({
  webhooks,
  openLog,
  testing,
  manage,
  onLog,
  onTest,
  onEdit,
  onDelete,
}: WebhookTableProps) {
  const now = useNow();
  return (
    <div className="ow-table-scroll">
      <table className="ow-table" data-testid="webhooks-table">
        <caption className="ow-visually-hidden">Webhooks</caption>
        <TableHead columns={COLUMNS} hidden="Actions" />
        <tbody>
          {webhooks.map((w) => (
            <tr key={w.id} data-testid="webhook-row" data-webhook-id={w.id}>
              <td data-testid="webhook-row-name">
                {w.name}
                {w.notes && <div className="ow-subtle ow-webhook-notes">{w.notes}</div>}
              </td>
              <td>
                <code className="ow-mono ow-webhook-url">{w.url}</code>
              </td>
              <td data-testid="webhook-row-events">{w.events.map(eventLabel).join(', ')}</td>
              <td>
                <Status webhook={w} />
              </td>
              <td data-testid="webhook-row-last">
                <LastDelivery webhook={w} now={now} />
              </td>
              <td>
                <Inline space="space.050" shouldWrap>
                  <Button
                    spacing="compact"
                    appearance="subtle"
                    isSelected={openLog === w.id}
                    aria-expanded={openLog === w.id}
                    onClick={() => onLog(w)}
                    aria-label={`Deliveries of ${w.name}`}
                    testId="webhook-log"
                  >
                    Deliveries
                  </Button>
                  <Button
                    spacing="compact"
                    appearance="subtle"
                    isLoading={testing === w.id}
                    onClick={() => onTest(w)}
                    aria-label={`Send a test to ${w.name}`}
                    testId="webhook-test"
                  >
                    Send test
                  </Button>
                  {manage && (
                    <>
                      <Button
                        spacing="compact"
                        appearance="subtle"
                        onClick={() => onEdit(w)}
                        aria-label={`Edit ${w.name}`}
                        testId="webhook-edit"
                      >
                        Edit
                      </Button>
                      <Button
                        spacing="compact"
                        appearance="subtle"
                        onClick={() => onDelete(w)}
                        aria-label={`Delete ${w.name}`}
                        testId="webhook-delete"
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </Inline>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
