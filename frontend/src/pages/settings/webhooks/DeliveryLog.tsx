import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { Fragment, useEffect, useRef, useState } from 'react';
import { showFlag } from '../../../ap';
import type { DeliveryView, WebhookView } from '../../../api/types';
import { isPending, useDeliveries, useRedeliver } from '../../../api/webhooks';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { ShowOlder } from '../../../components/ShowOlder';
import { TableHead } from '../../../components/TableHead';
import { useNow } from '../../../hooks';
import { absoluteTime, relativeTime, timeUntil } from '../../../time';
import { DeliveryDetail } from './DeliveryDetail';
import { DeliveryStateLozenge } from './DeliveryStateLozenge';
import { eventLabel } from './events';

const COLUMNS = [
  'Event',
  'Attempt',
  'State',
  'Status',
  'Duration',
  'Time',
  'Next attempt',
] as const;

interface RowProps {
  webhook: WebhookView;
  delivery: DeliveryView;
  now: number;
  expanded: boolean;
  onToggle: () => void;
}

function DeliveryRow({ webhook, delivery: d, now, expanded, onToggle }: RowProps) {
  const redeliver = useRedeliver();
  const onRedeliver = () =>
    redeliver.mutate(
      { id: webhook.id, deliveryId: d.id },
      {
        onSuccess: () =>
          void showFlag({
            type: 'success',
            title: `${eventLabel(d.event)} queued again for “${webhook.name}”`,
          }),
        onError: (error) =>
          void showFlag({
            type: 'error',
            title: 'The delivery could not be queued again',
            body: error.message,
            close: 'manual',
          }),
      },
    );
  return (
    <tr data-testid="delivery-row" data-delivery-id={d.id} data-state={d.state}>
      <td>{eventLabel(d.event)}</td>
      <td>{d.attempt}</td>
      <td>
        <DeliveryStateLozenge state={d.state} />
      </td>
      <td className="ow-mono" data-testid="delivery-status">
        {typeof d.statusCode === 'number' ? d.statusCode : '—'}
      </td>
      <td className="ow-nowrap">{typeof d.durationMs === 'number' ? `${d.durationMs} ms` : '—'}</td>
      <td className="ow-nowrap">
        <time dateTime={d.at} title={absoluteTime(d.at)}>
          {relativeTime(d.at, now)}
        </time>
      </td>
      <td className="ow-nowrap" data-testid="delivery-next">
        {d.nextAttemptAt ? (
          <time dateTime={d.nextAttemptAt} title={absoluteTime(d.nextAttemptAt)}>
            {timeUntil(d.nextAttemptAt, now)}
          </time>
        ) : (
          <span className="ow-subtle">—</span>
        )}
      </td>
      <td>
        <Inline space="space.050">
          <Button
            spacing="compact"
            appearance="subtle"
            aria-expanded={expanded}
            onClick={onToggle}
            testId="delivery-expand"
          >
            {expanded ? 'Hide' : 'Details'}
          </Button>
          <Button
            spacing="compact"
            appearance="subtle"
            isDisabled={isPending(d) || !webhook.active}
            isLoading={redeliver.isPending}
            onClick={onRedeliver}
            testId="delivery-redeliver"
            aria-describedby={webhook.active ? undefined : 'webhook-off-note'}
          >
            Redeliver
          </Button>
        </Inline>
      </td>
    </tr>
  );
}

function DeliveryTable({
  webhook,
  deliveries,
}: {
  webhook: WebhookView;
  deliveries: DeliveryView[];
}) {
  const now = useNow(10_000);
  const [expanded, setExpanded] = useState<DeliveryView['id'] | null>(null);
  return (
    <div className="ow-table-scroll">
      <table className="ow-sync-table" data-testid="deliveries-table">
        <caption className="ow-sync-caption">Deliveries, newest first</caption>
        <TableHead columns={COLUMNS} hidden="Actions" />
        <tbody>
          {deliveries.map((d) => (
            <Fragment key={d.id}>
              <DeliveryRow
                webhook={webhook}
                delivery={d}
                now={now}
                expanded={expanded === d.id}
                onToggle={() => setExpanded((open) => (open === d.id ? null : d.id))}
              />
              {expanded === d.id && (
                <tr>
                  <td colSpan={COLUMNS.length + 1}>
                    <DeliveryDetail webhookId={webhook.id} delivery={d} now={now} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A webhook's delivery log: every event sent (refreshed while one is pending), with its details. */
export function DeliveryLog({ webhook, onClose }: { webhook: WebhookView; onClose: () => void }) {
  const deliveries = useDeliveries(webhook.id);
  const loaded = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  const log = useRef<HTMLElement>(null);
  useEffect(() => {
    // It opens below the list: bring it into sight. (Chromium's scrollIntoView may answer a
    // promise, which must not become the effect's cleanup.)
    log.current?.scrollIntoView?.({ block: 'nearest' });
  }, []);
  let content;
  if (deliveries.isPending) content = <Spinner size="medium" label="Loading the deliveries" />;
  else if (deliveries.isError)
    content = (
      <ErrorMessage
        error={deliveries.error}
        title="The deliveries could not be loaded"
        onRetry={() => void deliveries.refetch()}
      />
    );
  else if (loaded.length === 0)
    content = (
      <p className="ow-subtle" data-testid="deliveries-empty">
        Nothing was sent to this webhook yet. “Send test” sends a test event.
      </p>
    );
  else
    content = (
      <Stack space="space.100">
        <DeliveryTable webhook={webhook} deliveries={loaded} />
        <ShowOlder pages={deliveries} label="Show older deliveries" testId="deliveries-older" />
      </Stack>
    );

  return (
    <section
      aria-labelledby="delivery-log-heading"
      className="ow-delivery-log"
      data-testid="delivery-log"
      ref={log}
    >
      <Stack space="space.150">
        <Inline spread="space-between" alignBlock="center">
          <Heading size="xsmall" as="h3" id="delivery-log-heading">
            Deliveries to “{webhook.name}”
          </Heading>
          <Inline space="space.100" alignBlock="center">
            {loaded.some(isPending) && (
              <span className="ow-subtle" role="status" data-testid="deliveries-refreshing">
                Refreshing while deliveries are pending…
              </span>
            )}
            <Button
              spacing="compact"
              appearance="subtle"
              onClick={onClose}
              testId="delivery-log-close"
            >
              Close
            </Button>
          </Inline>
        </Inline>
        {!webhook.active && (
          <p id="webhook-off-note" className="ow-subtle" data-testid="deliveries-off">
            This webhook is switched off: nothing but a test is sent to it. Switch it on to
            redeliver.
          </p>
        )}
        {content}
      </Stack>
    </section>
  );
}
