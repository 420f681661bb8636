import Toggle from '@atlaskit/toggle';
import { showFlag } from '../../ap';
import { taskInputOf, useSaveTask } from '../../api/tasks';
import type { Task } from '../../api/types';

/** Switches a task's schedule on or off in place; read-only for those who may not change tasks. */
export function ActiveToggle({ task, editable }: { task: Task; editable: boolean }) {
  const save = useSaveTask();
  const onChange = (active: boolean) =>
    save.mutate(
      { id: task.id, input: taskInputOf(task, active) },
      {
        onSuccess: () => void showFlag({ type: 'success', title: `“${task.name}” ${active ? 'switched on' : 'switched off'}` }),
        onError: (error) => void showFlag({ type: 'error', title: `“${task.name}” could not be switched`, body: error.message }),
      },
    );
  return (
    <span className="ow-task-toggle" title={task.inactiveReason ?? undefined}>
      <Toggle
        label={`Active: ${task.name}`}
        isChecked={save.isPending ? (save.variables?.input.active ?? task.active) : task.active}
        isDisabled={!editable || save.isPending}
        onChange={(event) => onChange(event.currentTarget.checked)}
        testId="task-active"
      />
    </span>
  );
}
