import Button from '@atlaskit/button/new';
import { useState } from 'react';
import { useAuditEntry } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../route';

/** What an entry's details point at: an operation and a user, when it concerns them. */
function links(entry: AuditEntry): { operation?: number; user?: string } {
  const details = (entry.details ?? {}) as Record<string, unknown>;
  const operation = typeof details.operationId === 'number' ? details.operationId : undefined;
  const subject =
    details.subjectKind === 'user' && typeof details.id === 'string' ? details.id : undefined;
  const selection = details.selection as { accountIds?: unknown } | undefined;
  const only =
    Array.isArray(selection?.accountIds) && selection.accountIds.length === 1
      ? selection.accountIds[0]
      : undefined;
  return { operation, user: subject ?? (typeof only === 'string' ? only : undefined) };
}

/**
 * An entry's details: links to what it concerns, who acted, the changes and every fact. Details
 * a page abridged are read whole when the admin asks.
 */
export function AuditDetails({ entry: listed }: { entry: AuditEntry }) {
  const { navigate } = useRouter();
  const [askedWhole, setAskedWhole] = useState(false);
  const whole = useAuditEntry(listed.id, listed.detailsAbridged && askedWhole);
  const entry = whole.data ?? listed;
  const { operation, user } = links(entry);
  const changes = (
    entry.details as { changes?: Record<string, { old: unknown; new: unknown }> } | null
  )?.changes;
  const show = (value: unknown) =>
    value === null || value === undefined
      ? '—'
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return (
    <div className="ow-audit-details" data-testid="audit-details">
      <p>
        {entry.actor.via === 'system'
          ? `By ${entry.actor.name} (automatic)`
          : `By ${entry.actor.name}`}
        {entry.actor.accountId ? <span className="ow-mono"> ({entry.actor.accountId})</span> : null}
        {entry.actor.via === 'token' ? ` with API token #${entry.actor.tokenId}` : null}
        {entry.actor.via === 'jwt' ? ' in Jira' : null}
      </p>
      {operation !== undefined || user ? (
        <p>
          {operation !== undefined ? (
            <button
              type="button"
              className="ow-link"
              onClick={() => navigate('operations', { op: String(operation) })}
              data-testid="audit-operation-link"
            >
              Open operation #{operation}
            </button>
          ) : null}
          {operation !== undefined && user ? ' · ' : null}
          {user ? (
            <button
              type="button"
              className="ow-link"
              onClick={() => navigate('users', { user })}
              data-testid="audit-user-link"
            >
              Open the user
            </button>
          ) : null}
        </p>
      ) : null}
      {changes && Object.keys(changes).length > 0 ? (
        <table className="ow-audit-changes">
          <thead>
            <tr>
              <th>Field</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(changes).map(([field, change]) => (
              <tr key={field}>
                <td>{field}</td>
                <td>{show(change.old)}</td>
                <td>{show(change.new)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {entry.detailsAbridged ? (
        <p className="ow-subtle" data-testid="audit-abridged">
          Abridged: lists show their first 20 items and texts their first 1,000 characters (
          {entry.detailsLength.toLocaleString()} characters in all).{' '}
          <Button
            appearance="subtle"
            spacing="compact"
            isDisabled={whole.isFetching}
            onClick={() => setAskedWhole(true)}
            testId="audit-whole"
          >
            {whole.isFetching ? 'Reading…' : 'Show all details'}
          </Button>
        </p>
      ) : null}
      {whole.error ? (
        <ErrorMessage
          error={whole.error}
          title="The whole details could not be read"
          onRetry={() => void whole.refetch()}
        />
      ) : null}
      <pre className="ow-audit-json">{JSON.stringify(entry.details, null, 2)}</pre>
      <p className="ow-subtle ow-mono">SHA-256 {entry.hash}</p>
    </div>
  );
}
