import Button, { IconButton } from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import Spinner from '@atlaskit/spinner';
import { useEffect, useRef } from 'react';
import { useUserDetail } from '../../api/queries';
import type { AccessGrant, UserDetail } from '../../api/types';
import type { OrgCatalog } from '../../catalog';
import { MirrorError } from '../../components/MirrorError';
import { accountTypeLabel, roleLabel } from '../../filter';
import { useNow } from '../../hooks';
import { CrossIcon } from '../../icons';
import { absoluteTime } from '../../time';
import { LastActive, StatusLozenge } from './cells';
import { UserHistory } from './UserHistory';

function Granted({ grant }: { grant: AccessGrant }) {
  if (grant.viaGroups.length === 0) return <span>{grant.direct ? 'Directly' : '—'}</span>;
  return (
    <span>
      via{' '}
      {grant.viaGroups.map((g, i) => (
        <span key={g.id}>
          {i > 0 && ', '}
          {g.name}
          {g.idpSynced && (
            <>
              {' '}
              <Lozenge>IdP</Lozenge>
            </>
          )}
        </span>
      ))}
      {grant.direct && ' and directly'}
    </span>
  );
}

function Access({ user, catalog, now }: { user: UserDetail; catalog: OrgCatalog; now: number }) {
  if (user.access.length === 0) return <p className="ow-subtle">No product access.</p>;
  return (
    <table className="ow-access">
      <thead>
        <tr>
          <th scope="col">Product</th>
          <th scope="col">Last active</th>
          <th scope="col">Granted</th>
        </tr>
      </thead>
      <tbody>
        {user.access.map((a) => (
          <tr key={`${a.siteId}/${a.productKey}`} data-testid="access-row">
            <td>
              {catalog.productName(a.productKey)}
              <div className="ow-subtle">{catalog.siteName(a.siteId)}</div>
            </td>
            <td>
              <LastActive at={a.lastActive} joined={user.addedToOrg} now={now} />
            </td>
            <td>
              <Granted grant={a} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface UserDetailPanelProps {
  accountId: string;
  catalog: OrgCatalog;
  onClose: () => void;
}

/**
 * One user beside the list: status, roles, groups, every product access with how it is granted,
 * and every step this app's operations ran on them.
 */
export function UserDetailPanel({ accountId, catalog, onClose }: UserDetailPanelProps) {
  const detail = useUserDetail(accountId);
  const now = useNow(60_000);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, [accountId]);

  const user = detail.data;
  return (
    <aside
      id="user-detail"
      className="ow-detail"
      aria-labelledby="user-detail-title"
      data-testid="user-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="ow-detail-head">
        <h2 id="user-detail-title" ref={heading} tabIndex={-1} className="ow-detail-title">
          <Heading size="small" as="span">
            {user?.name ?? 'User'}
          </Heading>
        </h2>
        <IconButton
          icon={CrossIcon}
          label="Close user details"
          appearance="subtle"
          onClick={onClose}
          testId="user-detail-close"
        />
      </div>
      {detail.isPending && <Spinner size="medium" label="Loading the user" />}
      {detail.isError && <MirrorError error={detail.error} onRetry={() => void detail.refetch()} />}
      {user && (
        <>
          <dl className="ow-facts">
            <dt>Email</dt>
            <dd>{user.email ?? <span className="ow-subtle">hidden</span>}</dd>
            <dt>Status</dt>
            <dd>
              <StatusLozenge status={user.status} />
            </dd>
            <dt>Account</dt>
            <dd>
              {accountTypeLabel(user.accountType)} · {user.billable ? 'billable' : 'not billable'}
            </dd>
            <dt>Joined</dt>
            <dd>{user.addedToOrg ? absoluteTime(user.addedToOrg) : '—'}</dd>
            <dt>Roles</dt>
            <dd>{user.roles.length > 0 ? user.roles.map(roleLabel).join(', ') : 'None'}</dd>
            <dt>Account id</dt>
            <dd className="ow-mono">{user.accountId}</dd>
          </dl>
          <Heading size="xsmall" as="h3">
            Access
          </Heading>
          <Access user={user} catalog={catalog} now={now} />
          <Heading size="xsmall" as="h3">
            Groups ({user.groups.length})
          </Heading>
          {user.groups.length === 0 ? (
            <p className="ow-subtle">No groups.</p>
          ) : (
            <ul className="ow-group-list">
              {user.groups.map((g) => (
                <li key={g.id}>{g.name}</li>
              ))}
            </ul>
          )}
          <UserHistory accountId={user.accountId} />
          <Button onClick={onClose}>Close</Button>
        </>
      )}
    </aside>
  );
}
