import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import type { Task } from '../../api/types';
import { ActionList } from './parts';

interface RunTaskModalProps {
  task: Task;
  busy: boolean;
  onRun: (dryRun: boolean) => void;
  onClose: () => void;
}

/** Asks before a real run: it changes the organization now. A dry run is offered instead. */
export default function RunTaskModal({ task, busy, onRun, onClose }: RunTaskModalProps) {
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
        <p className="ow-subtle">
          Organization admins, exempt users and groups, and IdP-synced groups are never changed. A
          dry run shows what it would do and changes nothing.
        </p>
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
          testId="run-task-confirm"
        >
          Run now
        </Button>
      </ModalFooter>
    </Modal>
  );
}
