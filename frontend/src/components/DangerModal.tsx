import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { type ReactNode, useEffect } from 'react';
import { revealAppTop } from '../ap';
import type { ApiError } from '../api/errors';
import { ErrorMessage } from './ErrorMessage';

interface DangerModalProps {
  /** The question, naming what is at stake. */
  title: string;
  /** What happens when it is confirmed. */
  children: ReactNode;
  /** The confirm button's label ("Revoke", "Delete"…). */
  confirmLabel: string;
  pending: boolean;
  error: ApiError | null;
  /** Heading of the error when the change fails. */
  errorTitle: string;
  onConfirm: () => void;
  /** True while what the question needs is still being read. */
  confirmDisabled?: boolean;
  onClose: () => void;
  /** `<testId>-modal` and `<testId>-confirm`. */
  testId: string;
}

/** Asks before a change that cannot be undone; stays open (with the error) when it fails. */
export function DangerModal(props: DangerModalProps) {
  const { title, children, confirmLabel, confirmDisabled = false, pending, error } = props;
  const { errorTitle, onConfirm, onClose, testId } = props;
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  return (
    <Modal onClose={pending ? undefined : onClose} width="small" testId={`${testId}-modal`}>
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">{title}</ModalTitle>
      </ModalHeader>
      <ModalBody>
        {children}
        {error && <ErrorMessage error={error} title={errorTitle} />}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={pending}>
          Cancel
        </Button>
        <Button
          appearance="danger"
          onClick={onConfirm}
          isDisabled={confirmDisabled}
          isLoading={pending}
          testId={`${testId}-confirm`}
        >
          {confirmLabel}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
