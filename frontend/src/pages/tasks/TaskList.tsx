import Button from '@atlaskit/button/new';
import DropdownMenu, { DropdownItem, DropdownItemGroup } from '@atlaskit/dropdown-menu';
import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import type { HeadType, RowType } from '@atlaskit/dynamic-table/types';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useTasks } from '../../api/tasks';
import type { Task } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { buttonTrigger } from '../../components/MenuTrigger';
import { useNow } from '../../hooks';
import { useRouter } from '../../route';
import { describeActions } from '../../components/operations/describe';
import { useNames } from '../../components/operations/useNames';
import { ActiveToggle } from './ActiveToggle';
import { RunState } from './RunState';
import { scheduleInWords } from './schedule';
import { useTaskCommands } from './TaskCommands';
import { Who, useIsOrgAdmin } from './parts';
import { When } from './When';

const HEAD: HeadType = {
  cells: [
    { key: 'name', content: 'Name' },
    { key: 'updatedBy', content: 'Updated by' },
    { key: 'actions', content: 'Actions' },
    { key: 'schedule', content: 'Schedule' },
    { key: 'active', content: 'Active' },
    { key: 'lastRun', content: 'Last run' },
    { key: 'nextRun', content: 'Next run' },
    { key: 'menu', content: <span className="ow-visually-hidden">Task actions</span> },
  ],
};

/** The last run: its state (a link to its results) and when it started. */
function LastRun({ task, now }: { task: Task; now: number }) {
  const { navigate } = useRouter();
  const run = task.lastRun;
  if (!run) return <span className="ow-subtle">Never</span>;
  return (
    <button
      type="button"
      className="ow-link ow-last-run"
      onClick={() => navigate('tasks', { task: String(task.id), process: run.processId })}
      aria-label={`Results of the last run of ${task.name}`}
      data-testid="task-last-run"
    >
      <RunState run={run} />
      <When at={run.startedAt} now={now} />
    </button>
  );
}

/** When the task runs next, or why it does not. */
function NextRun({ task, now }: { task: Task; now: number }) {
  if (!task.active)
    return <span className="ow-subtle">{task.inactiveReason ? 'Stopped' : 'Off'}</span>;
  if (task.schedule.kind === 'manual') return <span className="ow-subtle">Manual</span>;
  if (!task.nextRunAt) return <span className="ow-subtle">None</span>;
  return <When at={task.nextRunAt} now={now} />;
}

/** Automated tasks: every task with its schedule, last and next run; org admins run and change them. */
export function TaskList() {
  const { navigate } = useRouter();
  const tasks = useTasks();
  const names = useNames();
  const now = useNow(60_000);
  const admin = useIsOrgAdmin();
  const commands = useTaskCommands({ onDeleted: () => undefined });

  const rows: RowType[] = (tasks.data ?? []).map((task) => ({
    key: String(task.id),
    testId: 'task-row',
    cells: [
      {
        content: (
          <button
            type="button"
            className="ow-link"
            onClick={() => navigate('tasks', { task: String(task.id) })}
            data-testid="task-link"
          >
            {task.name}
          </button>
        ),
      },
      { content: <Who accountId={task.updatedBy} /> },
      { content: describeActions(task.actions, names) },
      {
        content: (
          <span data-testid="task-schedule">{scheduleInWords(task.schedule, task.timeZone)}</span>
        ),
      },
      { content: <ActiveToggle task={task} editable={admin} /> },
      { content: <LastRun task={task} now={now} /> },
      { content: <NextRun task={task} now={now} /> },
      {
        content: admin ? (
          <DropdownMenu<HTMLButtonElement>
            trigger={buttonTrigger(
              <>
                <span aria-hidden="true">•••</span>
                <span className="ow-visually-hidden">Actions for {task.name}</span>
              </>,
              { testId: 'task-menu', isLoading: commands.busy },
            )}
            placement="bottom-end"
            testId="task-menu"
          >
            <DropdownItemGroup>
              {commands.items(task).map((item) => (
                <DropdownItem key={item.key} onClick={item.onSelect} testId={item.testId}>
                  {item.label}
                </DropdownItem>
              ))}
            </DropdownItemGroup>
          </DropdownMenu>
        ) : null,
      },
    ],
  }));

  let body;
  if (tasks.isPending) body = <Spinner size="large" label="Loading tasks" />;
  else if (tasks.isError && !tasks.data)
    body = (
      <ErrorMessage
        error={tasks.error}
        title="The tasks could not be loaded"
        onRetry={() => void tasks.refetch()}
      />
    );
  else
    body = (
      <div className="ow-table-scroll">
        <DynamicTableStateless
          label="Automated tasks"
          head={HEAD}
          rows={rows}
          emptyView={
            <p className="ow-empty">
              No tasks yet. A task runs actions on the users of a saved filter, on a schedule or
              when you run it.
            </p>
          }
          testId="tasks-table"
        />
      </div>
    );

  return (
    <Stack space="space.200" testId="tasks">
      <Inline spread="space-between" alignBlock="center">
        <Heading size="large" as="h1">
          Automated tasks
        </Heading>
        {admin && (
          <Button
            appearance="primary"
            onClick={() => navigate('tasks', { task: 'new' })}
            testId="task-create"
          >
            Create task
          </Button>
        )}
      </Inline>
      <p className="ow-subtle">
        {admin
          ? 'Each task re-evaluates its saved filter at every run and acts with the rights of the org admin who last saved it.'
          : 'Only organization admins create, change and run tasks; you can see them and their results.'}
      </p>
      {commands.element}
      {body}
    </Stack>
  );
}
