import { showFlag } from '../../ap';
import { useRemoveApiKey } from '../../api/queries';
import { DangerModal } from '../../components/DangerModal';

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
  return (
    <DangerModal
      title="Remove the Organization API key?"
      confirmLabel="Remove"
      pending={remove.isPending}
      error={remove.error}
      errorTitle="The API key could not be removed"
      onConfirm={() => remove.mutate()}
      onClose={onClose}
      testId="remove-api-key"
    >
      <p>
        orgwarden stops reading and managing <strong>{orgName}</strong> until a new key is saved.
      </p>
    </DangerModal>
  );
}
