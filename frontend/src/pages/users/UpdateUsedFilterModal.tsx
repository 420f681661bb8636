import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { useEffect } from 'react';
import { revealAppTop } from '../../ap';
import type { ApiError } from '../../api/errors';
import type { Task } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';

interface UpdateUsedFilterModalProps {
  /** The saved filter's name as it will be saved. */
  name: string;
  /** The automated tasks that select their users with this filter. */
  tasks: readonly Task[];
  isPending: boolean;
  error: ApiError | null;
  onConfirm: () => void;
  onClose: () => void;
}

/** "2 tasks", "1 task". */
function taskCount(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'task' : 'tasks'}`;
}

/** Asks before changing what a saved filter selects when automated tasks use it, naming them. */
export function UpdateUsedFilterModal({
  name,
  tasks,
  isPending,
  error,
  onConfirm,
  onClose,
}: UpdateUsedFilterModalProps) {
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  return (
    <Modal
      onClose={isPending ? undefined : onClose}
      width="small"
      testId="update-used-filter-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="warning">
          Change whom {taskCount(tasks.length)} will act on?
        </ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          These automated tasks select their users with <strong>{name}</strong>:
        </p>
        <ul data-testid="update-used-filter-tasks">
          {tasks.map((task) => (
            <li key={task.id}>{task.name}</li>
          ))}
        </ul>
        <p>
          From their next run on, they act on whoever the updated filter selects, with an
          organization admin&apos;s rights. To leave them as they are, save the filter as a new one
          instead.
        </p>
        {error && <ErrorMessage error={error} title="The filter could not be saved" />}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={isPending}>
          Cancel
        </Button>
        <Button
          appearance="warning"
          onClick={onConfirm}
          isLoading={isPending}
          testId="update-used-filter-confirm"
        >
          Update and change {taskCount(tasks.length)}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
