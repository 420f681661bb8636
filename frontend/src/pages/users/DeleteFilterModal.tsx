import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import Spinner from '@atlaskit/spinner';
import { useEffect } from 'react';
import { revealAppTop } from '../../ap';
import { useDeleteSavedFilter } from '../../api/savedFilters';
import { useConfined } from '../../api/queries';
import { useTasks } from '../../api/tasks';
import type { SavedFilter, Task } from '../../api/types';
import { DangerModal } from '../../components/DangerModal';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../route';

/** The server's refusal to delete a filter that tasks use (409). */
const FILTER_IN_USE = 'filter_in_use';

interface DeleteFilterModalProps {
  saved: SavedFilter;
  onClose: () => void;
  onDeleted: () => void;
}

/** "An automated task selects its users…", "2 automated tasks select their users…". */
function usedByInWords(n: number): string {
  return n === 1
    ? 'An automated task selects its users with this saved filter:'
    : `${n.toLocaleString()} automated tasks select their users with this saved filter:`;
}

/** Says why a filter that tasks use cannot be deleted, naming them (each opens its task). */
function FilterInUseModal({
  saved,
  tasks,
  onClose,
}: {
  saved: SavedFilter;
  tasks: readonly Task[];
  onClose: () => void;
}) {
  const { navigate } = useRouter();
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  return (
    <Modal onClose={onClose} width="small" testId="filter-in-use-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="warning">“{saved.name}” cannot be deleted</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>{usedByInWords(tasks.length)}</p>
        <ul data-testid="filter-in-use-tasks">
          {tasks.map((task) => (
            <li key={task.id}>
              <button
                type="button"
                className="ow-link"
                onClick={() => navigate('tasks', { task: String(task.id) })}
              >
                {task.name}
              </button>
            </li>
          ))}
        </ul>
        <p>
          orgwarden does not delete a saved filter that a task uses. Choose another saved filter in
          these tasks, or delete them, then delete this filter.
        </p>
      </ModalBody>
      <ModalFooter>
        <Button appearance="primary" onClick={onClose} testId="filter-in-use-close">
          Close
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/**
 * Deletes a saved filter after a confirmation, once the automated tasks are known: a filter that
 * tasks use is not deleted by the server, so the dialog names those tasks instead.
 */
export function DeleteFilterModal({ saved, onClose, onDeleted }: DeleteFilterModalProps) {
  const remove = useDeleteSavedFilter();
  // An admin confined to what they administer reads no tasks: the server's refusal names them.
  const confined = useConfined();
  const tasks = useTasks(!confined);
  const usedBy = (tasks.data ?? []).filter((t) => t.savedFilterId === saved.id);
  if (usedBy.length > 0) return <FilterInUseModal saved={saved} tasks={usedBy} onClose={onClose} />;

  const onConfirm = () =>
    remove.mutate(saved.id, {
      onSuccess: onDeleted,
      // A task took it up since the list was read: read it again, and the dialog names the task.
      onError: (error) => {
        if (error.code === FILTER_IN_USE && !confined) void tasks.refetch();
      },
    });
  return (
    <DangerModal
      title={`Delete the saved filter “${saved.name}”?`}
      confirmLabel="Delete"
      pending={remove.isPending}
      confirmDisabled={!confined && tasks.isPending}
      error={remove.error}
      errorTitle="The filter could not be deleted"
      onConfirm={onConfirm}
      onClose={onClose}
      testId="delete-filter"
    >
      {confined && (
        <p data-testid="delete-filter-unchecked">
          A saved filter that automated tasks use is kept, and the answer names those tasks. No user
          changes.
        </p>
      )}
      {!confined && tasks.isPending && (
        <p className="ow-inline">
          <Spinner size="small" /> Checking which automated tasks use it…
        </p>
      )}
      {!confined && tasks.isSuccess && (
        <p data-testid="delete-filter-unused">
          No automated task uses it. Only the saved filter goes; no user changes.
        </p>
      )}
      {!confined && tasks.isError && (
        <ErrorMessage
          error={tasks.error}
          title="The tasks that use this filter could not be checked"
          onRetry={() => void tasks.refetch()}
        />
      )}
    </DangerModal>
  );
}
