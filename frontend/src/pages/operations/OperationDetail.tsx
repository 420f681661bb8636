import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack } from '@atlaskit/primitives';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { Suspense, lazy, useState } from 'react';
import { downloadResults, isOperationActive, useOperation } from '../../api/operationQueries';
import { useConfined, useMe } from '../../api/queries';
import { type ApiError, toApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../route';
import { absoluteTime } from '../../time';
import { describeAction } from '../../components/operations/describe';
import { operationPhase } from '../../components/operations/describeStates';
import { ProgressBar, StateLozenge, finishedSteps } from '../../components/operations/Progress';
import { StepsTable, progressCounts } from '../../components/operations/StepsTable';
import { useNames } from '../../components/operations/useNames';

const CancelOperationModal = lazy(() => import('./CancelOperationModal'));
const RevertModal = lazy(() => import('./RevertModal'));

/** States in which cancelling still makes sense. */
const CANCELLABLE = ['queued', 'syncing', 'running'];

/** One count of the ledger. */
function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="ow-count">
      <span className="ow-count-value" data-testid={testId}>
        {value.toLocaleString()}
      </span>
      <span className="ow-subtle">{label}</span>
    </div>
  );
}

/** One operation: live progress, counts, cancel, results (table and downloads), revert. */
export function OperationDetail({ id }: { id: number }) {
  const { navigate } = useRouter();
  const operation = useOperation(id);
  const me = useMe();
  const confined = useConfined();
  const names = useNames();
  const op = operation.data;
  const active = isOperationActive(op);
  // Only whoever started it, or an organization admin, may cancel or revert it (the API says 403).
  const mayControl =
    me.data?.access.as === 'orgAdmin' ||
    (op !== undefined && op.requestedBy === me.data?.accountId);
  const [dialog, setDialog] = useState<'cancel' | 'revert' | null>(null);
  const [downloading, setDownloading] = useState<'csv' | 'json' | null>(null);
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);

  const download = (format: 'csv' | 'json') => {
    setDownloading(format);
    setDownloadError(null);
    downloadResults(id, format)
      .catch((error: unknown) => setDownloadError(toApiError(error)))
      .finally(() => setDownloading(null));
  };

  const back = (
    <Button appearance="subtle" onClick={() => navigate('operations')} testId="operations-back">
      ← All operations
    </Button>
  );
  if (operation.isPending) return <Spinner size="large" label="Loading the operation" />;
  if (!op) {
    return (
      <Stack space="space.200">
        {back}
        {operation.error && (
          <ErrorMessage
            error={operation.error}
            title="The operation could not be loaded"
            onRetry={() => void operation.refetch()}
          />
        )}
      </Stack>
    );
  }

  const { progress } = op;
  return (
    <Stack space="space.300" testId="operation-detail">
      <div>{back}</div>
      <Inline space="space.150" alignBlock="center">
        <Heading size="large" as="h1">
          Operation #{op.id}
        </Heading>
        <StateLozenge state={op.state} />
        {op.dryRun && (
          <Lozenge appearance="new" testId="operation-dry-run">
            Dry run
          </Lozenge>
        )}
      </Inline>
      {op.dryRun && (
        <SectionMessage
          appearance="information"
          title="A dry run changes nothing"
          testId="operation-dry-note"
          actions={
            op.taskId !== null && op.processId !== null && !confined
              ? [
                  <SectionMessageAction
                    key="run"
                    onClick={() =>
                      navigate('tasks', { task: String(op.taskId), process: String(op.processId) })
                    }
                    testId="operation-task-run"
                  >
                    Open the task's run
                  </SectionMessageAction>,
                ]
              : []
          }
        >
          <p>It planned and recorded each step: “Would change” or “Skip”, with the reason.</p>
        </SectionMessage>
      )}
      {operation.isError && (
        <ErrorMessage error={operation.error} title="The progress could not be refreshed" />
      )}
      {op.error && (
        <SectionMessage appearance="error" title="The operation failed">
          <p>{op.error}</p>
        </SectionMessage>
      )}

      <section aria-labelledby="progress-heading" className="ow-panel ow-panel-wide">
        <Stack space="space.150">
          <Heading size="small" as="h2" id="progress-heading">
            Progress
          </Heading>
          <ProgressBar progress={progress} label={`Progress of operation ${op.id}`} />
          <p className="ow-subtle" aria-live="polite" data-testid="progress-text">
            {progress.total === 0
              ? active
                ? `Preparing: ${operationPhase(op.phase)}…`
                : 'No steps were planned'
              : `${finishedSteps(progress).toLocaleString()} of ${progress.total.toLocaleString()} steps finished${active ? ` · ${operationPhase(op.phase)}` : ''}`}
          </p>
          <div className="ow-counts">
            <Count label="Done" value={progress.done} testId="progress-done" />
            <Count label="Skipped" value={progress.skipped} testId="progress-skipped" />
            <Count label="Failed" value={progress.failed} testId="progress-failed" />
            <Count label="Pending" value={progress.pending} testId="progress-pending" />
            {op.dryRun && (
              <Count label="Would change" value={progress.wouldAct} testId="progress-would" />
            )}
            <Count label="Steps" value={progress.total} testId="progress-total" />
          </div>
          <Inline space="space.100" shouldWrap>
            {mayControl && CANCELLABLE.includes(op.state) && (
              <Button
                appearance="warning"
                onClick={() => setDialog('cancel')}
                testId="operation-cancel"
              >
                Cancel operation…
              </Button>
            )}
            <Button
              onClick={() => download('csv')}
              isLoading={downloading === 'csv'}
              testId="download-csv"
            >
              Download CSV
            </Button>
            <Button
              onClick={() => download('json')}
              isLoading={downloading === 'json'}
              testId="download-json"
            >
              Download JSON
            </Button>
            {mayControl && !active && progress.done > 0 && (
              <Button onClick={() => setDialog('revert')} testId="operation-revert">
                Revert…
              </Button>
            )}
          </Inline>
          {downloadError && (
            <ErrorMessage error={downloadError} title="The results could not be downloaded" />
          )}
        </Stack>
      </section>

      <dl className="ow-facts" data-testid="operation-facts">
        <dt>Actions</dt>
        <dd>
          {op.actions.length > 0 ? (
            <ol className="ow-plain-list">
              {op.actions.map((action, i) => (
                <li key={i}>{describeAction(action, names)}</li>
              ))}
            </ol>
          ) : (
            'Revert: the inverse of every change'
          )}
        </dd>
        {op.revertOf && (
          <>
            <dt>Reverts</dt>
            <dd>
              <button
                type="button"
                className="ow-link"
                onClick={() => navigate('operations', { op: String(op.revertOf) })}
              >
                Operation #{op.revertOf}
              </button>
            </dd>
          </>
        )}
        <dt>Reason</dt>
        <dd>{op.reason || <span className="ow-subtle">—</span>}</dd>
        <dt>Requested by</dt>
        <dd>
          {op.requestedBy === me.data?.accountId ? (
            'You'
          ) : (
            <span className="ow-mono">{op.requestedBy}</span>
          )}
        </dd>
        <dt>Requested</dt>
        <dd>{absoluteTime(op.createdAt)}</dd>
        {op.startedAt && (
          <>
            <dt>Started</dt>
            <dd>{absoluteTime(op.startedAt)}</dd>
          </>
        )}
        {op.finishedAt && (
          <>
            <dt>Finished</dt>
            <dd>{absoluteTime(op.finishedAt)}</dd>
          </>
        )}
      </dl>

      <section aria-labelledby="results-heading">
        <Stack space="space.150">
          <Heading size="small" as="h2" id="results-heading">
            Results
          </Heading>
          {active && (
            <p className="ow-subtle">The results appear here when the operation has finished.</p>
          )}
          {!active && (
            <StepsTable
              operationId={op.id}
              total={progress.total}
              counts={progressCounts(progress)}
              names={names}
              showCounts={me.data?.access.scope == null}
            />
          )}
        </Stack>
      </section>

      <Suspense fallback={null}>
        {dialog === 'cancel' && (
          <CancelOperationModal
            id={op.id}
            remaining={progress.pending}
            planned={progress.total > 0}
            onClose={() => setDialog(null)}
          />
        )}
        {dialog === 'revert' && <RevertModal id={op.id} onClose={() => setDialog(null)} />}
      </Suspense>
    </Stack>
  );
}
