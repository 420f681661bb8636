import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { showFlag } from '../../ap';
import { useDeleteTask } from '../../api/tasks';
import type { Task } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';

/** Asks before deleting a task, naming it. */
export default function DeleteTaskModal({
  task,
  onClose,
  onDeleted,
}: {
  task: Task;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useDeleteTask();
  const onConfirm = () =>
    remove.mutate(task.id, {
      onSuccess: () => {
        void showFlag({ type: 'success', title: `Task “${task.name}” deleted` });
        onClose();
        onDeleted();
      },
    });
  return (
    <Modal
      onClose={remove.isPending ? undefined : onClose}
      width="small"
      testId="delete-task-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">Delete the task “{task.name}”?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          <strong>{task.name}</strong> stops running and leaves the list. What its past runs changed
          stays in the Operations list and the audit log. This cannot be undone.
        </p>
        {remove.error && (
          <ErrorMessage error={remove.error} title="The task could not be deleted" />
        )}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={remove.isPending}>
          Cancel
        </Button>
        <Button
          appearance="danger"
          onClick={onConfirm}
          isLoading={remove.isPending}
          testId="delete-task-confirm"
        >
          Delete
        </Button>
      </ModalFooter>
    </Modal>
  );
}
