import Heading from '@atlaskit/heading';
import Spinner from '@atlaskit/spinner';
import { USER_HISTORY_LIMIT, useConfined, useMe, useUserHistory } from '../../api/queries';
import { useTasks } from '../../api/tasks';
import type { HistoryEntry } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../hooks';
import { useRouter } from '../../route';
import { absoluteTime, relativeTime } from '../../time';
import { type Names, actionLabel } from '../../components/operations/describe';
import { OutcomeLozenge, stepTarget } from '../../components/operations/resultRows';
import { useNames } from '../../components/operations/useNames';
import '../../components/operations/operations.css';

interface EntryProps {
  entry: HistoryEntry;
  names: Names;
  me: string | undefined;
  now: number;
  open: (operationId: number) => void;
  /** Opens a task run's results. */
  /** Opens a task's run; null for an admin confined to what they administer (no tasks). */
  openRun: ((taskId: number, processId: string) => void) | null;
  /** A task's name by id (its id once it is gone). */
  taskName: (taskId: number) => string;
}

/** Where a step comes from: a task's run (or dry run), else its operation. */
function Source({
  entry,
  open,
  openRun,
  taskName,
}: Pick<EntryProps, 'entry' | 'open' | 'openRun' | 'taskName'>) {
  const { taskId, processId } = entry;
  if (taskId != null && processId && openRun) {
    return (
      <button
        type="button"
        className="ow-link"
        onClick={() => openRun(taskId, processId)}
        data-testid="history-task-run-link"
      >
        {entry.dryRun ? 'Dry run' : 'Run'} of the task “{taskName(taskId)}”
      </button>
    );
  }
  return (
    <button
      type="button"
      className="ow-link"
      onClick={() => open(entry.operationId)}
      data-testid="history-operation-link"
    >
      Operation #{entry.operationId}
    </button>
  );
}

/** One step: what it did and how it ended, when, who asked, and its operation. */
function Entry({ entry, names, me, now, open, openRun, taskName }: EntryProps) {
  const target = stepTarget(entry, names);
  const revertOf = entry.revertOf;
  return (
    <li className="ow-history-entry" data-testid="history-entry">
      <div className="ow-history-what">
        <span data-testid="history-action">
          {actionLabel(entry.action)}
          {target && `: ${target}`}
        </span>
        <span data-testid="history-outcome" data-outcome={entry.outcome}>
          <OutcomeLozenge outcome={entry.outcome} />
        </span>
      </div>
      {entry.error ? (
        <p className="ow-error-text">{entry.error}</p>
      ) : (
        entry.reason && <p className="ow-history-text">{entry.reason}</p>
      )}
      <p className="ow-history-text ow-subtle">
        <time dateTime={entry.updatedAt} title={absoluteTime(entry.updatedAt)}>
          {relativeTime(entry.updatedAt, now)}
        </time>
        {' · by '}
        {entry.requestedBy === me ? 'You' : <span className="ow-mono">{entry.requestedBy}</span>}
        {' · '}
        <Source entry={entry} open={open} openRun={openRun} taskName={taskName} />
        {entry.operationReason && `: ${entry.operationReason}`}
      </p>
      {revertOf != null && (
        <p className="ow-history-text">
          <button
            type="button"
            className="ow-link"
            onClick={() => open(revertOf)}
            data-testid="history-revert-link"
          >
            Reverts operation #{revertOf}
          </button>
        </p>
      )}
    </li>
  );
}

/** The user detail's "Operation history": every step this app's operations and task runs ran on the user, newest first. */
export function UserHistory({ accountId }: { accountId: string }) {
  const history = useUserHistory(accountId);
  const me = useMe();
  const names = useNames();
  const now = useNow(60_000);
  const { navigate } = useRouter();
  const open = (operationId: number) => navigate('operations', { op: String(operationId) });
  // Tasks are not for an admin confined to what they administer: a run opens as its operation.
  const confined = useConfined();
  const openRun = confined
    ? null
    : (taskId: number, processId: string) =>
        navigate('tasks', { task: String(taskId), process: processId });
  const entries = history.data;
  const fromTasks = entries?.some((e) => e.taskId != null) ?? false;
  const tasks = useTasks(fromTasks && !confined);
  const taskName = (taskId: number) =>
    tasks.data?.find((t) => t.id === taskId)?.name ?? `#${taskId}`;

  return (
    <section
      aria-labelledby="user-history-heading"
      className="ow-history"
      data-testid="user-history"
    >
      <Heading size="xsmall" as="h3" id="user-history-heading">
        Operation history
      </Heading>
      {history.isPending && <Spinner size="medium" label="Loading the operation history" />}
      {history.isError && (
        <ErrorMessage
          error={history.error}
          title="The operation history could not be loaded"
          onRetry={() => void history.refetch()}
        />
      )}
      {entries?.length === 0 && <p className="ow-subtle">No operation has changed this user.</p>}
      {entries && entries.length > 0 && (
        <>
          <ol className="ow-history-list">
            {entries.map((entry, index) => (
              <Entry
                key={`${index}-${entry.operationId}`}
                entry={entry}
                names={names}
                me={me.data?.accountId}
                now={now}
                open={open}
                openRun={openRun}
                taskName={taskName}
              />
            ))}
          </ol>
          {entries.length >= USER_HISTORY_LIMIT && (
            <p className="ow-subtle">Showing the latest {USER_HISTORY_LIMIT} steps.</p>
          )}
        </>
      )}
    </section>
  );
}
