import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { showFlag } from '../../ap';
import { useRemoveApiKey } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';

interface RemoveApiKeyModalProps {
  orgName: string;
  onClose: () => void;
}

/** Asks before removing the Organization API key. */
export default function RemoveApiKeyModal({ orgName, onClose }: RemoveApiKeyModalProps) {
  const remove = useRemoveApiKey(() => {
    void showFlag({ type: 'success', title: 'Organization API key removed' });
    onClose();
  });
  const onConfirm = () => remove.mutate();
  return (
    <Modal onClose={remove.isPending ? undefined : onClose} width="small" testId="remove-api-key-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">Remove the Organization API key?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          orgwarden stops reading and managing <strong>{orgName}</strong> until a new key is saved.
        </p>
        {remove.error && <ErrorMessage error={remove.error} title="The API key could not be removed" />}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={remove.isPending}>
          Cancel
        </Button>
        <Button appearance="danger" onClick={onConfirm} isLoading={remove.isPending} testId="remove-api-key-confirm">
          Remove
        </Button>
      </ModalFooter>
    </Modal>
  );
}
