import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { NOT_SYNCED, useStartSync, useSyncStatus } from '../api/queries';
import type { ApiError } from '../api/errors';
import { ErrorMessage } from './ErrorMessage';

/** Before the first sync has completed: it is running, or it failed (with its error and a retry). */
export function NotSyncedMessage() {
  const sync = useSyncStatus();
  const start = useStartSync();
  if (sync.data?.state === 'failed') {
    return (
      <>
        <SectionMessage
          appearance="error"
          title="The first sync failed"
          testId="not-synced"
          actions={
            <Button
              onClick={() => start.mutate()}
              isLoading={start.isPending}
              testId="not-synced-retry"
            >
              Sync users
            </Button>
          }
        >
          <p>{sync.data.error ?? 'orgwarden could not read the organization from Atlassian.'}</p>
        </SectionMessage>
        {start.error && <ErrorMessage error={start.error} title="The sync could not be started" />}
      </>
    );
  }
  return (
    <SectionMessage
      appearance="information"
      title="The first sync is in progress"
      testId="not-synced"
    >
      <div className="ow-inline">
        <Spinner size="small" label="" />
        <p>
          orgwarden is reading your organization&apos;s users, groups and product access from
          Atlassian. This page fills in as soon as the first sync completes.
        </p>
      </div>
    </SectionMessage>
  );
}

/** An error of a mirror read: "first sync in progress" for `not_synced`, else the error itself. */
export function MirrorError({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  if (error.code === NOT_SYNCED) return <NotSyncedMessage />;
  return <ErrorMessage error={error} onRetry={onRetry} />;
}
