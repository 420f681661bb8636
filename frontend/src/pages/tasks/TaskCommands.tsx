import { Suspense, lazy, useState } from 'react';
import { showFlag } from '../../ap';
import { useDuplicateTask, useRunTask } from '../../api/tasks';
import type { Task } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../route';
import { useSingleFlight } from '../../hooks';

const DeleteTaskModal = lazy(() => import('./DeleteTaskModal'));
const RunTaskModal = lazy(() => import('./RunTaskModal'));

type Dialog = { kind: 'run' | 'delete'; task: Task } | null;

/** One command on a task: a menu item in the list, a button on the task's page. */
export interface TaskCommand {
  key: string;
  label: string;
  onSelect: () => void;
  testId: string;
}

/**
 * What an org admin can do with a task (run now, dry run, duplicate, edit, delete): the menu's
 * items, and the element holding their confirmations and errors.
 */
export function useTaskCommands({ onDeleted }: { onDeleted: () => void }) {
  const { navigate } = useRouter();
  const run = useRunTask();
  const runOnce = useSingleFlight(run);
  const duplicate = useDuplicateTask();
  const [dialog, setDialog] = useState<Dialog>(null);

  const start = (task: Task, dryRun: boolean) =>
    runOnce(
      { id: task.id, dryRun },
      {
        onSuccess: ({ processId }) => {
          setDialog(null);
          void showFlag({
            type: 'success',
            title: `${dryRun ? 'Dry run' : 'Run'} of “${task.name}” started`,
          });
          navigate('tasks', { task: String(task.id), process: processId });
        },
      },
    );

  const copy = (task: Task) =>
    duplicate.mutate(task.id, {
      onSuccess: (copy) =>
        void showFlag({
          type: 'success',
          title: `Duplicated as “${copy.name}”`,
          body: 'The copy is switched off: check it, then switch it on.',
        }),
    });

  const items = (task: Task): TaskCommand[] => [
    task.dryRunOnly
      ? {
          key: 'run',
          label: 'Run now (dry run only)',
          onSelect: () => start(task, true),
          testId: 'task-run',
        }
      : {
          key: 'run',
          label: 'Run now…',
          onSelect: () => {
            run.reset();
            setDialog({ kind: 'run', task });
          },
          testId: 'task-run',
        },
    { key: 'dry', label: 'Dry run', onSelect: () => start(task, true), testId: 'task-dry-run' },
    { key: 'duplicate', label: 'Duplicate', onSelect: () => copy(task), testId: 'task-duplicate' },
    {
      key: 'edit',
      label: 'Edit',
      onSelect: () => navigate('tasks', { task: String(task.id), panel: 'edit' }),
      testId: 'task-edit',
    },
    {
      key: 'delete',
      label: 'Delete…',
      onSelect: () => setDialog({ kind: 'delete', task }),
      testId: 'task-delete',
    },
  ];

  const element = (
    <>
      {run.error && dialog?.kind !== 'run' && (
        <ErrorMessage error={run.error} title="The task could not be started" />
      )}
      {duplicate.error && (
        <ErrorMessage error={duplicate.error} title="The task could not be duplicated" />
      )}
      <Suspense fallback={null}>
        {dialog?.kind === 'run' && (
          <RunTaskModal
            task={dialog.task}
            busy={run.isPending}
            error={run.error}
            onRun={(dryRun) => start(dialog.task, dryRun)}
            onClose={() => setDialog(null)}
          />
        )}
        {dialog?.kind === 'delete' && (
          <DeleteTaskModal
            task={dialog.task}
            onClose={() => setDialog(null)}
            onDeleted={onDeleted}
          />
        )}
      </Suspense>
    </>
  );

  return { items, element, busy: run.isPending || duplicate.isPending };
}
