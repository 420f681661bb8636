import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { useEffect } from 'react';
import { revealAppTop } from '../../ap';
import { useCancelOperation } from '../../api/operationQueries';
import { ErrorMessage } from '../../components/ErrorMessage';

interface CancelOperationModalProps {
  id: number;
  /** Steps not finished yet. */
  remaining: number;
  /** Its steps are planned (before that, its ledger is empty). */
  planned: boolean;
  onClose: () => void;
}

/** Asks before cancelling a running operation. */
export default function CancelOperationModal({
  id,
  remaining,
  planned,
  onClose,
}: CancelOperationModalProps) {
  const cancel = useCancelOperation(id);
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  return (
    <Modal
      onClose={cancel.isPending ? undefined : onClose}
      width="small"
      testId="cancel-operation-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="warning">Cancel operation #{id}?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        {!planned ? (
          <p>Its steps are not planned yet: it stops before it changes anything.</p>
        ) : (
          <p>
            No new step starts; the {remaining.toLocaleString()}{' '}
            {remaining === 1 ? 'step' : 'steps'} not finished yet {remaining === 1 ? 'is' : 'are'}{' '}
            skipped. Changes already made stay made (revert them afterwards if needed).
          </p>
        )}
        {cancel.error && (
          <ErrorMessage error={cancel.error} title="The operation could not be cancelled" />
        )}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={cancel.isPending}>
          Keep running
        </Button>
        <Button
          appearance="warning"
          onClick={() => cancel.mutate(undefined, { onSuccess: onClose })}
          isLoading={cancel.isPending}
          testId="cancel-operation-confirm"
        >
          Cancel operation
        </Button>
      </ModalFooter>
    </Modal>
  );
}
