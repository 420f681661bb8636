import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useState } from 'react';
import { showFlag } from '../../../ap';
import { useApiKey, useMe } from '../../../api/queries';
import type { CreatedWebhook, WebhookView } from '../../../api/types';
import { useSendTest, useWebhooks } from '../../../api/webhooks';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { useRouter } from '../../../route';
import { DeleteWebhookModal } from './DeleteWebhookModal';
import { DeliveryLog } from './DeliveryLog';
import { DisabledNotice } from './DisabledNotice';
import { WebhookFormModal } from './WebhookFormModal';
import { WebhookSecretModal } from './WebhookSecretModal';
import { WebhookTable } from './WebhookTable';
import '../../../components/operations/operations.css';
import '../settings.css';
import './webhooks.css';

/** The form is open for a new webhook (`new`) or for one to edit. */
type Editing = 'new' | WebhookView | null;

function Webhooks() {
  const webhooks = useWebhooks();
  const me = useMe();
  // Where the app sends data is a setting of the organization's admins; everyone reads and tests.
  const manage = me.data?.access.as === 'orgAdmin';
  const sendTest = useSendTest();
  const { route, update } = useRouter();
  const [editing, setEditing] = useState<Editing>(null);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [deleting, setDeleting] = useState<WebhookView | null>(null);
  const logId = Number(route.params.get('webhook'));
  const logOf = webhooks.data?.find((w) => w.id === logId) ?? null;

  const openLog = (w: WebhookView) => update({ webhook: logOf?.id === w.id ? null : String(w.id) });
  const onTest = (w: WebhookView) =>
    sendTest.mutate(w.id, {
      onSuccess: () => {
        void showFlag({
          type: 'success',
          title: `Test sent to “${w.name}”`,
          body: 'Its delivery is in the log below.',
        });
        update({ webhook: String(w.id) });
      },
      onError: (error) =>
        void showFlag({
          type: 'error',
          title: `The test to “${w.name}” could not be sent`,
          body: error.message,
          close: 'manual',
        }),
    });
  const onCreated = (webhook: CreatedWebhook, generated: boolean) => {
    setEditing(null);
    if (generated) setCreated(webhook);
    else void showFlag({ type: 'success', title: `Webhook “${webhook.name}” added` });
  };

  let content;
  if (webhooks.isPending) content = <Spinner size="medium" label="Loading the webhooks" />;
  else if (webhooks.isError)
    content = (
      <ErrorMessage
        error={webhooks.error}
        title="The webhooks could not be loaded"
        onRetry={() => void webhooks.refetch()}
      />
    );
  else if (webhooks.data.length === 0)
    content = (
      <p className="ow-subtle" data-testid="webhooks-empty">
        No webhooks yet.
      </p>
    );
  else
    content = (
      <>
        {webhooks.data
          .filter((w) => !w.active && w.disabledReason)
          .map((w) => (
            <DisabledNotice key={w.id} webhook={w} manage={manage} onLog={openLog} />
          ))}
        <WebhookTable
          webhooks={webhooks.data}
          openLog={logOf?.id ?? null}
          testing={sendTest.isPending ? (sendTest.variables ?? null) : null}
          manage={manage}
          onLog={openLog}
          onTest={onTest}
          onEdit={setEditing}
          onDelete={setDeleting}
        />
      </>
    );

  return (
    <section
      aria-labelledby="notifications-heading"
      className="ow-panel ow-panel-wide"
      data-testid="notifications"
    >
      <Stack space="space.200">
        <Heading size="small" as="h2" id="notifications-heading">
          Notifications
        </Heading>
        <Text as="p" color="color.text.subtle">
          Webhooks tell other tools what happens while nobody is looking: the API key about to
          expire, a failed sync or task, a finished bulk operation. Each delivery is a signed JSON
          POST (Standard Webhooks), retried for about a day when the receiver fails.
        </Text>
        {!manage && me.data && (
          <SectionMessage appearance="information" testId="webhooks-readonly">
            <p>Only organization admins can add, change or delete webhooks.</p>
          </SectionMessage>
        )}
        {content}
        {manage && (
          <div>
            <Button appearance="primary" onClick={() => setEditing('new')} testId="webhook-add">
              Add webhook
            </Button>
          </div>
        )}
        {logOf && (
          <DeliveryLog key={logOf.id} webhook={logOf} onClose={() => update({ webhook: null })} />
        )}
      </Stack>
      {editing && (
        <WebhookFormModal
          webhook={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onCreated={onCreated}
        />
      )}
      {created && (
        <WebhookSecretModal
          name={created.name}
          secret={created.secret}
          onClose={() => setCreated(null)}
        />
      )}
      {deleting && <DeleteWebhookModal webhook={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}

/** Settings → Notifications (once an API key is saved): webhooks and their delivery logs. */
export function NotificationsSection() {
  const apiKey = useApiKey();
  return apiKey.data ? <Webhooks /> : null;
}
