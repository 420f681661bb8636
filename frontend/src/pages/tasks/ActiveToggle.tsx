import Toggle from '@atlaskit/toggle';
import { useState } from 'react';
import { showFlag } from '../../ap';
import { taskInputOf, useSaveTask } from '../../api/tasks';
import type { Task } from '../../api/types';

/** Switches a task's schedule on or off in place; read-only for those who may not change tasks. */
export function ActiveToggle({ task, editable }: { task: Task; editable: boolean }) {
  const save = useSaveTask();
  // What the admin asked for, shown until the task as read back says the same (or the save fails),
  // so the switch does not flip back while the list is read again.
  const [wanted, setWanted] = useState<boolean | null>(null);
  if (wanted !== null && wanted === task.active) setWanted(null);
  const shown = wanted ?? task.active;
  const onChange = (active: boolean) => {
    setWanted(active);
    save.mutate(
      { id: task.id, input: taskInputOf(task, active) },
      {
        onSuccess: () =>
          void showFlag({
            type: 'success',
            title: `“${task.name}” ${active ? 'switched on' : 'switched off'}`,
          }),
        onError: (error) => {
          setWanted(null);
          void showFlag({
            type: 'error',
            title: `“${task.name}” could not be switched`,
            body: error.message,
          });
        },
      },
    );
  };
  return (
    <span className="ow-task-toggle" title={task.inactiveReason ?? undefined}>
      <Toggle
        label={`Active: ${task.name}`}
        isChecked={shown}
        isDisabled={!editable || save.isPending}
        onChange={(event) => onChange(event.currentTarget.checked)}
        testId="task-active"
      />
    </span>
  );
}
