import { showFlag } from '../../ap';
import { useDeleteTask } from '../../api/tasks';
import type { Task } from '../../api/types';
import { DangerModal } from '../../components/DangerModal';

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
    <DangerModal
      title={`Delete the task “${task.name}”?`}
      confirmLabel="Delete"
      pending={remove.isPending}
      error={remove.error}
      errorTitle="The task could not be deleted"
      onConfirm={onConfirm}
      onClose={onClose}
      testId="delete-task"
    >
      <p>
        <strong>{task.name}</strong> stops running and leaves the list. What its past runs changed
        stays in the Operations list and the audit log. This cannot be undone.
      </p>
    </DangerModal>
  );
}
