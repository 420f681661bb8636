import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useRef } from 'react';
import { useApiKey, useStartSync, useSyncRuns } from '../../api/queries';
import type { SyncStatus } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import {
  SYNC_KINDS,
  SYNC_MODES,
  SYNC_STATES,
  labelOf,
  stateWords,
  syncPhase,
} from '../../components/operations/describeStates';
import { useNow, usePanelFocus } from '../../hooks';
import { absoluteTime, relativeTime } from '../../time';
import './settings.css';

/** How many runs the history lists. */
export const SYNC_HISTORY_LIMIT = 20;

/** The `panel` route parameter that opens Settings at the sync history (the header links there). */
export const SYNC_HISTORY_PANEL = 'sync-history';

/** "First sync", "Daily", …; unknown kinds humanized. */
export function kindLabel(kind: string): string {
  return labelOf(SYNC_KINDS, kind);
}

/** "45 s", "3 min 5 s", "1 h 2 min"; null when the run has not started. */
export function duration(
  run: Pick<SyncStatus, 'startedAt' | 'finishedAt'>,
  now: number,
): string | null {
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
}

/** What to do about a failed run, beyond the server's own words. */
function nextStep(run: SyncStatus): string {
  const error = (run.error ?? '').toLowerCase();
  if (/api key|unauthori[sz]ed|forbidden|expired|401|403/.test(error)) {
    return 'Check the Organization API key above (replace it if it expired or was revoked), then sync again.';
  }
  if (/rate|429|too many/.test(error))
    return 'Atlassian limited the requests: sync again in a few minutes.';
  return 'Sync again; if it keeps failing, the data shown stays that of the last complete sync.';
}

function Row({ run, now }: { run: SyncStatus; now: number }) {
  const state = stateWords(SYNC_STATES, run.state);
  const started = run.startedAt ?? run.createdAt;
  const took = duration(run, now);
  return (
    <tr data-testid="sync-run" data-state={run.state} data-kind={run.kind}>
      <td>
        {kindLabel(run.kind)}
        <div
          className="ow-subtle"
          data-testid="sync-run-mode"
          title={`${run.rowsWritten.toLocaleString()} rows written`}
        >
          {labelOf(SYNC_MODES, run.mode)}
        </div>
      </td>
      <td>
        <Lozenge appearance={state.appearance}>{state.label}</Lozenge>
        {run.state === 'running' && <div className="ow-subtle">{syncPhase(run.phase)}</div>}
      </td>
      <td>
        <span title={absoluteTime(started)} data-testid="sync-run-started">
          {relativeTime(started, now)}
        </span>
        {!run.startedAt && <div className="ow-subtle">not started yet</div>}
      </td>
      <td data-testid="sync-run-duration">{took ?? '—'}</td>
      <td className="ow-num" data-testid="sync-run-users">
        {run.counts.users.toLocaleString()}
      </td>
      <td className="ow-num" data-testid="sync-run-groups">
        {run.counts.groups.toLocaleString()}
      </td>
      <td className="ow-num" data-testid="sync-run-sites">
        {run.counts.sites.toLocaleString()}
      </td>
      <td className="ow-num" data-testid="sync-run-requests">
        {run.requests.toLocaleString()}
      </td>
      <td>
        {run.state === 'failed' ? (
          <div data-testid="sync-run-error">
            <Text color="color.text.danger">{run.error ?? 'The sync failed.'}</Text>
            <div className="ow-subtle">{nextStep(run)}</div>
          </div>
        ) : (
          <span className="ow-subtle">—</span>
        )}
      </td>
    </tr>
  );
}

function History() {
  const runs = useSyncRuns(SYNC_HISTORY_LIMIT);
  const start = useStartSync();
  const now = useNow();
  const panel = useRef<HTMLElement>(null);
  usePanelFocus(SYNC_HISTORY_PANEL, panel);

  let content;
  if (runs.isPending) {
    content = <Spinner size="medium" label="Loading the sync history" />;
  } else if (runs.isError) {
    content = (
      <ErrorMessage
        error={runs.error}
        title="The sync history could not be loaded"
        onRetry={() => void runs.refetch()}
      />
    );
  } else if (runs.data.length === 0) {
    content = (
      <p className="ow-subtle" data-testid="sync-history-empty">
        No sync has run yet.
      </p>
    );
  } else {
    const failed = runs.data[0]?.state === 'failed';
    content = (
      <>
        <div className="ow-table-scroll">
          <table className="ow-sync-table" data-testid="sync-history-table">
            <caption className="ow-sync-caption">
              {runs.data.length === 1
                ? 'The latest sync'
                : `The latest ${runs.data.length} syncs, newest first`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col" className="ow-num">
                  Users
                </th>
                <th scope="col" className="ow-num">
                  Groups
                </th>
                <th scope="col" className="ow-num">
                  Sites
                </th>
                <th scope="col" className="ow-num">
                  Requests
                </th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((run) => (
                <Row key={run.id} run={run} now={now} />
              ))}
            </tbody>
          </table>
        </div>
        {failed && (
          <div>
            <Button
              onClick={() => start.mutate()}
              isLoading={start.isPending}
              testId="sync-history-retry"
            >
              Sync again
            </Button>
            {start.error && <ErrorMessage error={start.error} title="The sync could not start" />}
          </div>
        )}
      </>
    );
  }

  return (
    <section
      aria-labelledby="sync-history-heading"
      className="ow-panel ow-panel-wide"
      data-testid="sync-history"
      ref={panel}
      tabIndex={-1}
    >
      <Stack space="space.200">
        <Heading size="small" as="h2" id="sync-history-heading">
          Sync history
        </Heading>
        <Text as="p" color="color.text.subtle">
          The latest syncs of your organization from Atlassian: what started them, how long they
          took, what they counted (users, groups and sites written) and how many Admin API requests
          they sent. The app shows the data of the last complete sync.
        </Text>
        {content}
      </Stack>
    </section>
  );
}

/** Settings → Sync history (once an API key is saved): the recent sync runs and why any failed. */
export function SyncHistorySection() {
  const apiKey = useApiKey();
  return apiKey.data ? <History /> : null;
}
