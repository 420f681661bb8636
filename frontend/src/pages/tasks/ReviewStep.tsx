import { Stack } from '@atlaskit/primitives';
import Toggle from '@atlaskit/toggle';
import { useId } from 'react';
import type { TaskInput } from '../../api/types';
import { ActionList, SavedFilterName } from './parts';
import { scheduleInWords } from './schedule';
import { TaskPreviewPanel } from './TaskPreviewPanel';

interface SwitchProps {
  label: string;
  help: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
}

/** A toggle with its visible label and help. */
function Switch({ label, help, checked, onChange, testId }: SwitchProps) {
  const id = useId();
  return (
    <div className="ow-task-switch">
      <Toggle
        id={id}
        isChecked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        descriptionId={`${id}-help`}
        testId={testId}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        <p id={`${id}-help`} className="ow-subtle">
          {help}
        </p>
      </div>
    </div>
  );
}

interface ReviewStepProps {
  input: TaskInput;
  /** The zone the schedule's times are in (the task's or the tenant's). */
  zone: string | undefined;
  onActive: (active: boolean) => void;
  onDryRunOnly: (dryRunOnly: boolean) => void;
}

/** The task as it will be saved, its switches, and who it would touch now. */
export function ReviewStep({ input, zone, onActive, onDryRunOnly }: ReviewStepProps) {
  return (
    <Stack space="space.200">
      <dl className="ow-facts" data-testid="task-review">
        <dt>Name</dt>
        <dd>{input.name}</dd>
        <dt>Saved filter</dt>
        <dd>
          <SavedFilterName id={input.savedFilterId} />
        </dd>
        <dt>Actions</dt>
        <dd>
          <ActionList actions={input.actions} />
        </dd>
        <dt>Reason</dt>
        <dd>{input.reason ?? <span className="ow-subtle">—</span>}</dd>
        <dt>Schedule</dt>
        <dd data-testid="review-schedule">{scheduleInWords(input.schedule, zone)}</dd>
      </dl>
      <Switch
        label="Active"
        help="Runs on its schedule. Off: it runs only when someone chooses “Run now”."
        checked={input.active}
        onChange={onActive}
        testId="task-active-switch"
      />
      <Switch
        label="Dry run only"
        help="Every run plans and records what it would do, and changes nothing in the organization."
        checked={input.dryRunOnly === true}
        onChange={onDryRunOnly}
        testId="task-dry-run-only"
      />
      <TaskPreviewPanel request={{ savedFilterId: input.savedFilterId, actions: input.actions }} />
    </Stack>
  );
}
