import Heading from '@atlaskit/heading';
import { Text } from '@atlaskit/primitives';
import { useMe } from '../api/queries';
import type { AccessRole } from '../api/types';
import { features } from '../features';
import { KeyExpiry } from './KeyExpiry';
import { SyncState } from './SyncState';

/** "orgAdmin" / "org_admin" → "org admin". */
export function humanizeRole(role: string): string {
  return role
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

/** How the caller is let in, in words. */
export function accessRoleLabel(as: AccessRole | null | undefined): string | null {
  switch (as) {
    case 'orgAdmin':
      return 'organization admin';
    case 'productAdmin':
      return 'product admin';
    case 'userAccessAdmin':
      return 'user access admin';
    case 'jiraAdmin':
      return 'Jira admin, setting up';
    default:
      return null;
  }
}

/** The host name of a base URL (the URL itself when it is not one). */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

function SignedIn() {
  const me = useMe();
  if (!me.data) return null;
  const { tenant, accountId, role, access } = me.data;
  const as = accessRoleLabel(access.as);
  return (
    <span
      className="ow-signed-in"
      title={`Account ${accountId} on ${tenant.baseUrl}${as ? `; uses orgwarden as ${as}` : ''}`}
      data-access={access.as ?? undefined}
    >
      <Text size="small" color="color.text.subtlest">
        {hostOf(tenant.baseUrl)} · signed in as {as ?? humanizeRole(role)}
      </Text>
    </span>
  );
}

/**
 * The app's title bar: name, the API key's expiry when it is near, the sync state (unless `sync`
 * is false: setup), and who is signed in.
 */
export function AppHeader({ sync = true }: { sync?: boolean }) {
  return (
    <header className="ow-header">
      <Heading size="medium" as="span">
        orgwarden
      </Heading>
      <div className="ow-header-end">
        {sync && <KeyExpiry />}
        {features.sync && sync && <SyncState />}
        <SignedIn />
      </div>
    </header>
  );
}
