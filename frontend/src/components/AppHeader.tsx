import Heading from '@atlaskit/heading';
import { Text } from '@atlaskit/primitives';
import { useMe } from '../api/queries';
import { features } from '../features';
import { SyncState } from './SyncState';

/** "orgAdmin" / "org_admin" → "org admin". */
export function humanizeRole(role: string): string {
  return role
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

function SignedIn() {
  const me = useMe();
  if (!me.data) return null;
  const { tenant, accountId, role } = me.data;
  return (
    <span className="ow-signed-in" title={`Account ${accountId} on ${tenant.baseUrl}`}>
      <Text size="small" color="color.text.subtlest">
        {hostOf(tenant.baseUrl)} · signed in as {humanizeRole(role)}
      </Text>
    </span>
  );
}

/** The app's title bar: name, the sync state, and who is signed in. */
export function AppHeader() {
  return (
    <header className="ow-header">
      <Heading size="medium" as="span">
        orgwarden
      </Heading>
      <div className="ow-header-end">
        {features.sync && <SyncState />}
        <SignedIn />
      </div>
    </header>
  );
}
