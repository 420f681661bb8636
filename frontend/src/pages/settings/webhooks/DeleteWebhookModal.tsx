import { showFlag } from '../../../ap';
import type { WebhookView } from '../../../api/types';
import { useDeleteWebhook } from '../../../api/webhooks';
import { DangerModal } from '../../../components/DangerModal';

/** Asks before deleting a webhook, naming it and its URL. */
export function DeleteWebhookModal({
  webhook,
  onClose,
}: {
  webhook: WebhookView;
  onClose: () => void;
}) {
  const remove = useDeleteWebhook();
  const onConfirm = () =>
    remove.mutate(webhook.id, {
      onSuccess: () => {
        void showFlag({ type: 'success', title: `Webhook “${webhook.name}” deleted` });
        onClose();
      },
    });
  return (
    <DangerModal
      title={`Delete the webhook “${webhook.name}”?`}
      confirmLabel="Delete"
      pending={remove.isPending}
      error={remove.error}
      errorTitle="The webhook could not be deleted"
      onConfirm={onConfirm}
      onClose={onClose}
      testId="delete-webhook"
    >
      <p>
        <strong>{webhook.name}</strong> (<code className="ow-mono">{webhook.url}</code>) is sent
        nothing more, and its delivery log is deleted with it. This cannot be undone.
      </p>
    </DangerModal>
  );
}
