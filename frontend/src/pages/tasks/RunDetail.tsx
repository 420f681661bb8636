import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useState } from 'react';
import { type ApiError, toApiError } from '../../api/errors';
import { downloadResults } from '../../api/operationQueries';
import { useMe } from '../../api/queries';
import { isRunActive, useTask, useTaskRun } from '../../api/tasks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../route';
import { absoluteTime } from '../../time';
import { ProgressBar } from '../../components/operations/Progress';
import { StepsTable } from '../../components/operations/StepsTable';
import { useNames } from '../../components/operations/useNames';
import { RunState, countsInWords } from './RunState';

/** One run of a task: state, counts, per-user results, downloads. Opened by its deep link. */
export function RunDetail({ taskId, processId }: { taskId: number; processId: string }) {
  const { navigate } = useRouter();
  const task = useTask(taskId);
  const run = useTaskRun(taskId, processId);
  const names = useNames();
  const me = useMe();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);

  const download = (operationId: number) => {
    setDownloading(true);
    setDownloadError(null);
    downloadResults(operationId, 'csv')
      .catch((error: unknown) => setDownloadError(toApiError(error)))
      .finally(() => setDownloading(false));
  };

  const back = (
    <div>
      <Button
        appearance="subtle"
        onClick={() => navigate('tasks', { task: String(taskId) })}
        testId="run-back"
      >
        ← {task.data ? `“${task.data.name}”` : 'The task'} and its runs
      </Button>
    </div>
  );
  if (run.isPending) return <Spinner size="large" label="Loading the run" />;
  if (!run.data) {
    return (
      <Stack space="space.200">
        {back}
        {run.error && (
          <ErrorMessage
            error={run.error}
            title="The run could not be loaded"
            onRetry={() => void run.refetch()}
          />
        )}
      </Stack>
    );
  }

  const r = run.data;
  const active = isRunActive(r);
  const { total, skipped, failed } = r.counts;
  // A dry run's planned changes fill the bar as done steps would.
  const done = r.dryRun ? r.counts.wouldAct : r.counts.done;
  const progress = {
    total,
    done,
    skipped,
    failed,
    pending: Math.max(0, total - done - skipped - failed),
    inFlight: 0,
    // A dry run's would-change steps are counted as done above.
    wouldAct: 0,
  };
  return (
    <Stack space="space.300" testId="run-detail">
      {back}
      <Inline space="space.150" alignBlock="center" shouldWrap>
        <Heading size="large" as="h1">
          {r.dryRun ? 'Dry run' : 'Run'} of {task.data?.name ?? `task #${taskId}`}
        </Heading>
        <RunState run={r} />
      </Inline>
      {r.dryRun && (
        <SectionMessage
          appearance="information"
          title="A dry run changes nothing"
          testId="run-dry-note"
        >
          <p>
            Each step says what a real run would have done: “Would change” or “Skip”, with the
            reason.
          </p>
        </SectionMessage>
      )}
      {r.error && (
        <SectionMessage appearance="error" title="The run failed">
          <p>{r.error}</p>
        </SectionMessage>
      )}
      {run.isError && (
        <ErrorMessage error={run.error} title="The progress could not be refreshed" />
      )}
      <section aria-labelledby="run-progress-heading" className="ow-panel ow-panel-wide">
        <Stack space="space.150">
          <Heading size="small" as="h2" id="run-progress-heading">
            Progress
          </Heading>
          <ProgressBar progress={progress} label={`Progress of run ${processId}`} />
          <p className="ow-subtle" aria-live="polite" data-testid="run-counts">
            {countsInWords(r.counts, r.dryRun)}
          </p>
          <Inline space="space.100">
            <Button
              onClick={() => download(r.operationId)}
              isLoading={downloading}
              isDisabled={active}
              testId="run-download-csv"
            >
              Download CSV
            </Button>
          </Inline>
          {downloadError && (
            <ErrorMessage error={downloadError} title="The results could not be downloaded" />
          )}
        </Stack>
      </section>
      <dl className="ow-facts" data-testid="run-facts">
        <dt>Process id</dt>
        <dd className="ow-mono">{r.processId}</dd>
        <dt>Operation</dt>
        <dd>
          <button
            type="button"
            className="ow-link"
            onClick={() => navigate('operations', { op: String(r.operationId) })}
            data-testid="run-operation-link"
          >
            Operation #{r.operationId}
          </button>
        </dd>
        <dt>Started</dt>
        <dd>
          {absoluteTime(r.startedAt)}
          {r.late && (
            <span className="ow-subtle">
              {' '}
              (late: every orgwarden process was down when it was due)
            </span>
          )}
        </dd>
        <dt>Finished</dt>
        <dd>{r.finishedAt ? absoluteTime(r.finishedAt) : '—'}</dd>
      </dl>
      <section aria-labelledby="run-results-heading">
        <Stack space="space.150">
          <Heading size="small" as="h2" id="run-results-heading">
            Results
          </Heading>
          {active && <p className="ow-subtle">The results appear here as the run goes.</p>}
          <StepsTable
            operationId={r.operationId}
            total={total}
            counts={
              r.dryRun
                ? [
                    ['wouldAct', r.counts.wouldAct],
                    ['skip', skipped],
                  ]
                : [
                    ['done', r.counts.done],
                    ['skipped', skipped],
                    ['failed', failed],
                  ]
            }
            names={names}
            live={active}
            showCounts={me.data?.access.scope == null}
          />
        </Stack>
      </section>
    </Stack>
  );
}
