import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';

interface DiscardChangesModalProps {
  /** Closes the question and goes back to the input (also Escape and the blanket). */
  onKeepEditing: () => void;
  /** Drops the input and leaves. */
  onDiscard: () => void;
}

/** Asks before leaving input that was never saved or sent. */
export function DiscardChangesModal({ onKeepEditing, onDiscard }: DiscardChangesModalProps) {
  return (
    <Modal onClose={onKeepEditing} width="small" testId="discard-changes-modal">
      <ModalHeader>
        <ModalTitle appearance="warning">Discard your changes?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>What you entered has not been saved and will be lost.</p>
      </ModalBody>
      <ModalFooter>
        {/* First in the footer, so it has the focus: Enter and Escape both keep the input. */}
        <Button appearance="subtle" onClick={onKeepEditing} testId="discard-changes-keep">
          Keep editing
        </Button>
        <Button appearance="warning" onClick={onDiscard} testId="discard-changes-confirm">
          Discard changes
        </Button>
      </ModalFooter>
    </Modal>
  );
}
