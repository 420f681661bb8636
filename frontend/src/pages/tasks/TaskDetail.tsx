import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useTask } from '../../api/tasks';
import type { Task } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../hooks';
import { useRouter } from '../../route';
import { absoluteTime } from '../../time';
import { ActiveToggle } from './ActiveToggle';
import { ActionList, BackToTasks, SavedFilterName, Who, useIsOrgAdmin } from './parts';
import { RunHistory } from './RunHistory';
import { scheduleInWords } from './schedule';
import { useTaskCommands } from './TaskCommands';

/** What the task is: filter, actions, reason, schedule, who saved it and when. */
function TaskFacts({ task }: { task: Task }) {
  const now = useNow(60_000);
  return (
    <dl className="ow-facts" data-testid="task-facts">
      <dt>Saved filter</dt>
      <dd>
        <SavedFilterName id={task.savedFilterId} />
      </dd>
      <dt>Actions</dt>
      <dd>
        <ActionList actions={task.actions} />
      </dd>
      <dt>Reason</dt>
      <dd>{task.reason || <span className="ow-subtle">—</span>}</dd>
      <dt>Schedule</dt>
      <dd data-testid="task-schedule">{scheduleInWords(task.schedule, task.timeZone)}</dd>
      <dt>Next run</dt>
      <dd data-testid="task-next-run">
        {task.active && task.nextRunAt && Date.parse(task.nextRunAt) >= now - 60_000
          ? absoluteTime(task.nextRunAt)
          : '—'}
      </dd>
      <dt>Runs</dt>
      <dd>
        {task.dryRunOnly ? 'Dry runs only: nothing in the organization changes' : 'Real runs'}
      </dd>
      <dt>Acts as</dt>
      <dd>
        <Who accountId={task.actingAdmin} />{' '}
        <span className="ow-subtle">(the org admin who saved it last)</span>
      </dd>
      <dt>Updated</dt>
      <dd>
        {absoluteTime(task.updatedAt)} by <Who accountId={task.updatedBy} />
      </dd>
      <dt>Created</dt>
      <dd>
        {absoluteTime(task.createdAt)} by <Who accountId={task.createdBy} />
      </dd>
    </dl>
  );
}

/** One task: what it does, its commands and its run history. */
export function TaskDetail({ id }: { id: number }) {
  const { navigate } = useRouter();
  const task = useTask(id);
  const admin = useIsOrgAdmin();
  const commands = useTaskCommands({ onDeleted: () => navigate('tasks') });

  if (task.isPending) return <Spinner size="large" label="Loading the task" />;
  if (!task.data) {
    return (
      <Stack space="space.200">
        <BackToTasks />
        {task.error && (
          <ErrorMessage
            error={task.error}
            title="The task could not be loaded"
            onRetry={() => void task.refetch()}
          />
        )}
      </Stack>
    );
  }
  const t = task.data;
  return (
    <Stack space="space.300" testId="task-detail">
      <BackToTasks />
      <Inline space="space.150" alignBlock="center" shouldWrap>
        <Heading size="large" as="h1">
          {t.name}
        </Heading>
        <ActiveToggle task={t} editable={admin} />
      </Inline>
      {t.inactiveReason && (
        <SectionMessage
          appearance="warning"
          title="orgwarden stopped this task"
          testId="task-inactive-reason"
        >
          <p>{t.inactiveReason}</p>
        </SectionMessage>
      )}
      {admin && (
        <Inline space="space.100" shouldWrap>
          {commands.items(t).map((item) => (
            <Button
              key={item.key}
              onClick={item.onSelect}
              isDisabled={commands.busy}
              testId={item.testId}
            >
              {item.label}
            </Button>
          ))}
        </Inline>
      )}
      {commands.element}
      <TaskFacts task={t} />
      <RunHistory taskId={id} />
    </Stack>
  );
}
