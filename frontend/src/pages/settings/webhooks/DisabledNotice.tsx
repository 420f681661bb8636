import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { showFlag } from '../../../ap';
import type { WebhookView } from '../../../api/types';
import { useUpdateWebhook } from '../../../api/webhooks';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { draftOf, inputOf } from './webhookForm';

interface DisabledNoticeProps {
  webhook: WebhookView;
  /** The caller may switch it on again (organization admins). */
  manage: boolean;
  onLog: (webhook: WebhookView) => void;
}

/** A webhook the app switched off (it kept failing): why, and a button to switch it on again. */
export function DisabledNotice({ webhook, manage, onLog }: DisabledNoticeProps) {
  const update = useUpdateWebhook();
  const reactivate = () =>
    update.mutate(
      { id: webhook.id, body: inputOf({ ...draftOf(webhook), active: true }) },
      {
        onSuccess: () =>
          void showFlag({ type: 'success', title: `Webhook “${webhook.name}” is active again` }),
      },
    );
  return (
    <SectionMessage
      appearance="error"
      title={`The webhook “${webhook.name}” was switched off`}
      testId="webhook-disabled"
      actions={[
        ...(manage
          ? [
              <SectionMessageAction key="on" onClick={reactivate} testId="webhook-reactivate">
                {update.isPending ? 'Switching on…' : 'Switch on again'}
              </SectionMessageAction>,
            ]
          : []),
        <SectionMessageAction key="log" onClick={() => onLog(webhook)}>
          See the deliveries
        </SectionMessageAction>,
      ]}
    >
      <p data-testid="webhook-disabled-reason">{webhook.disabledReason}</p>
      <p>
        “Send test” checks the receiver
        {manage
          ? ' before you switch the webhook on again.'
          : '; an organization admin can switch the webhook on again.'}
      </p>
      {update.error && (
        <ErrorMessage error={update.error} title="The webhook could not be switched on" />
      )}
    </SectionMessage>
  );
}
