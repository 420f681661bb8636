import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import { token } from '@atlaskit/tokens';
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api/errors';
import { useMe } from '../api/queries';
import { LockLockedIcon } from '../icons';
import { hostOf } from './AppHeader';
import './NoAccessPage.css';

/** When no reason came with the refusal. */
const DEFAULT_REASON = 'Only organization admins, and the admins they allow, can use orgwarden.';

/**
 * The whole page for a caller who may not use orgwarden (no header, no navigation): why (the
 * server's sentence), who can grant access, and "Check again" once they have.
 */
export function NoAccessPage({ denied }: { denied: ApiError | null }) {
  const me = useMe();
  const main = useRef<HTMLElement>(null);
  const [stillDenied, setStillDenied] = useState(false);
  // Keyboard and screen-reader users land here, not on whatever had focus before.
  useEffect(() => main.current?.focus(), []);

  const access = me.data?.access;
  const reason = (access && !access.allowed ? access.reason : denied?.message) || DEFAULT_REASON;

  const checkAgain = async () => {
    setStillDenied(false);
    const result = await me.refetch();
    // Allowed: the app replaces this page.
    if (!(result.isSuccess && result.data.access.allowed)) setStillDenied(true);
  };

  return (
    <main
      id="main"
      ref={main}
      tabIndex={-1}
      className="ow-no-access"
      aria-labelledby="no-access-heading"
      data-testid="no-access"
    >
      <div className="ow-no-access-card">
        <Stack space="space.200">
          <div className="ow-no-access-title">
            <LockLockedIcon label="" color={token('color.icon.subtle')} />
            <Heading size="large" as="h1" id="no-access-heading">
              You don&apos;t have access to orgwarden
            </Heading>
          </div>
          <p className="ow-no-access-reason" data-testid="no-access-reason">
            {reason}
          </p>
          <section aria-labelledby="no-access-who">
            <Stack space="space.100">
              <Heading size="xsmall" as="h2" id="no-access-who">
                Who can grant access
              </Heading>
              <p data-testid="no-access-who">
                The <strong>organization admins</strong> of your Atlassian organization. They can
                always use orgwarden, and they can let <strong>product admins</strong> and{' '}
                <strong>user access admins</strong> use it too: in orgwarden,{' '}
                <strong>Settings → App access control</strong>.
              </p>
            </Stack>
          </section>
          {me.data && (
            <Text as="p" size="small" color="color.text.subtle">
              Signed in to {hostOf(me.data.tenant.baseUrl)} as account{' '}
              <code>{me.data.accountId}</code>: give this to the admin who grants access.
            </Text>
          )}
          <div>
            <Button
              onClick={() => void checkAgain()}
              isLoading={me.isFetching}
              testId="no-access-check"
            >
              Check again
            </Button>
          </div>
          <p className="ow-subtle" aria-live="polite" data-testid="no-access-status">
            {stillDenied && !me.isFetching ? "You still don't have access." : ''}
          </p>
        </Stack>
      </div>
    </main>
  );
}
