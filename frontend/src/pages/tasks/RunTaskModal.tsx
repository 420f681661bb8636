import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { useEffect } from 'react';
import { revealAppTop } from '../../ap';
import type { ApiError } from '../../api/errors';
import { useTaskPreview } from '../../api/tasks';
import type { Task } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { users } from '../../components/operations/describe';
import { ActionList } from './parts';
import { TaskPreviewPanel } from './TaskPreviewPanel';

interface RunTaskModalProps {
  task: Task;
  busy: boolean;
  /** Why the run could not start; the dialog stays open with it. */
  error: ApiError | null;
  onRun: (dryRun: boolean) => void;
  onClose: () => void;
}

/**
 * Asks before a real run: it changes the organization now. Says whom it would touch (the live
 * preview, its count on the confirm button); a dry run is offered instead.
 */
export default function RunTaskModal({ task, busy, error, onRun, onClose }: RunTaskModalProps) {
  const request = { savedFilterId: task.savedFilterId, actions: task.actions };
  const preview = useTaskPreview(request);
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  return (
    <Modal onClose={busy ? undefined : onClose} width="medium" testId="run-task-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="warning">Run “{task.name}” now?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          It syncs the users its saved filter selects, then runs these actions on them, in this
          order:
        </p>
        <ActionList actions={task.actions} />
        <TaskPreviewPanel request={request} />
        <p className="ow-subtle">A dry run shows what it would do and changes nothing.</p>
        {error && <ErrorMessage error={error} title="The task could not be started" />}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={busy}>
          Cancel
        </Button>
        <Button onClick={() => onRun(true)} isDisabled={busy} testId="run-task-dry">
          Dry run instead
        </Button>
        <Button
          appearance="warning"
          onClick={() => onRun(false)}
          isLoading={busy}
          isDisabled={preview.isPending}
          testId="run-task-confirm"
        >
          {preview.data ? `Run now on ${users(preview.data.total)}` : 'Run now'}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
