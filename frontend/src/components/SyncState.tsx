import Button from '@atlaskit/button/new';
import { Text } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { showFlag } from '../ap';
import { isSyncActive, queryKeys, useApiKey, useStartSync, useSyncStatus } from '../api/queries';
import type { SyncStatus } from '../api/types';
import { useNow } from '../hooks';
import { syncPhase } from './operations/describeStates';
import { useRouter } from '../route';
import { StatusErrorIcon } from '../icons';
import { absoluteTime, relativeTime } from '../time';

function progress(status: SyncStatus): string {
  const { users, groups, sites } = status.counts;
  const parts = [
    sites > 0 ? `${sites} site${sites === 1 ? '' : 's'}` : null,
    users > 0 ? `${users.toLocaleString()} user${users === 1 ? '' : 's'}` : null,
    groups > 0 ? `${groups.toLocaleString()} group${groups === 1 ? '' : 's'}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? ` · ${parts.join(', ')}` : '';
}

/** What the header says about the mirror: last sync, the one running, or the last error. */
function describe(
  status: SyncStatus | null,
  now: number,
): { text: string; title?: string; failed?: boolean } {
  if (status === null) return { text: 'Not synced yet' };
  if (status.state === 'queued') return { text: 'Sync queued…' };
  if (status.state === 'running') return { text: `${syncPhase(status.phase)}${progress(status)}` };
  const syncedAt = status.syncedAt ?? (status.state === 'succeeded' ? status.finishedAt : null);
  const synced = syncedAt ? `Synced ${relativeTime(syncedAt, now)}` : null;
  if (status.state === 'failed') {
    const error = status.error ?? 'The sync failed.';
    return {
      text: `Sync failed: ${error}`,
      title: `${error}${syncedAt ? `\nThe data shown is from the last complete sync, ${absoluteTime(syncedAt)}.` : ''}`,
      failed: true,
    };
  }
  return { text: synced ?? 'Synced', title: syncedAt ? absoluteTime(syncedAt) : undefined };
}

/**
 * The sync state in the header and "Sync users". Refreshes everything read from the mirror
 * whenever a newer sync completes.
 */
export function SyncState() {
  const apiKey = useApiKey();
  const hasKey = apiKey.data !== null && apiKey.data !== undefined;
  const sync = useSyncStatus(hasKey);
  const start = useStartSync();
  const client = useQueryClient();
  const now = useNow();
  const seenSyncedAt = useRef<string | null | undefined>(undefined);
  const seenRun = useRef<string | undefined>(undefined);
  const { navigate } = useRouter();

  const syncedAt = sync.data === undefined ? undefined : (sync.data?.syncedAt ?? null);
  useEffect(() => {
    if (syncedAt === undefined) return;
    if (seenSyncedAt.current !== undefined && seenSyncedAt.current !== syncedAt) {
      void client.invalidateQueries({ queryKey: queryKeys.mirror });
    }
    seenSyncedAt.current = syncedAt;
  }, [syncedAt, client]);

  const run = sync.data ? `${sync.data.id}:${sync.data.state}` : undefined;
  useEffect(() => {
    // Another run, or the same one further along: the sync history follows.
    if (run !== undefined && seenRun.current !== undefined && seenRun.current !== run) {
      void client.invalidateQueries({ queryKey: ['sync', 'runs'] });
    }
    seenRun.current = run;
  }, [run, client]);

  if (!hasKey || sync.data === undefined) return null;
  const status = sync.data;
  const active = isSyncActive(status);
  const { text, title, failed } = describe(status, now);

  const onSync = () =>
    start.mutate(undefined, {
      onError: (error) =>
        void showFlag({ type: 'error', title: 'The sync could not start', body: error.message }),
    });

  return (
    <div className="ow-sync" data-testid="sync-state" data-state={status?.state ?? 'never'}>
      {active && <Spinner size="small" label="Sync in progress" />}
      {failed && <StatusErrorIcon label="" color={token('color.icon.danger')} />}
      <span
        className="ow-sync-text"
        title={title}
        role="status"
        aria-live="polite"
        data-testid="sync-state-text"
      >
        <Text size="small" color={failed ? 'color.text.danger' : 'color.text.subtle'}>
          {text}
        </Text>
      </span>
      <Button
        spacing="compact"
        onClick={onSync}
        isDisabled={active}
        isLoading={start.isPending}
        testId="sync-now"
      >
        Sync users
      </Button>
      <Button
        spacing="compact"
        appearance="subtle"
        onClick={() => navigate('settings', { panel: 'sync-history' })}
        testId="sync-history-link"
      >
        Sync history
      </Button>
    </div>
  );
}
