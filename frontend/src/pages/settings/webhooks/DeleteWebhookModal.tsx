import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { useEffect } from 'react';
import { revealAppTop, showFlag } from '../../../ap';
import type { WebhookView } from '../../../api/types';
import { useDeleteWebhook } from '../../../api/webhooks';
import { ErrorMessage } from '../../../components/ErrorMessage';

/** Asks before deleting a webhook, naming it and its URL. */
export function DeleteWebhookModal({ webhook, onClose }: { webhook: WebhookView; onClose: () => void }) {
  const remove = useDeleteWebhook();
  useEffect(() => revealAppTop(), []);
  const onConfirm = () =>
    remove.mutate(webhook.id, {
      onSuccess: () => {
        void showFlag({ type: 'success', title: `Webhook “${webhook.name}” deleted` });
        onClose();
      },
    });
  return (
    <Modal onClose={remove.isPending ? undefined : onClose} width="small" testId="delete-webhook-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">Delete the webhook “{webhook.name}”?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          <strong>{webhook.name}</strong> (<code className="ow-mono">{webhook.url}</code>) is sent nothing more, and its
          delivery log is deleted with it. This cannot be undone.
        </p>
        {remove.error && <ErrorMessage error={remove.error} title="The webhook could not be deleted" />}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={remove.isPending}>
          Cancel
        </Button>
        <Button appearance="danger" onClick={onConfirm} isLoading={remove.isPending} testId="delete-webhook-confirm">
          Delete
        </Button>
      </ModalFooter>
    </Modal>
  );
}
