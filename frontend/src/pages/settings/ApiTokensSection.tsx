import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Stack, Text } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useState } from 'react';
import { useApiKey, useMe } from '../../api/queries';
import { useTokens } from '../../api/tokens';
import type { CreatedToken, TokenView } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { daysUntil, formatDate } from '../../expiry';
import { useNow } from '../../hooks';
import { absoluteTime, relativeTime } from '../../time';
import { CreateTokenForm } from './CreateTokenForm';
import { RevokeTokenModal } from './RevokeTokenModal';
import { TokenCreatedModal } from './TokenCreatedModal';
import '../../components/operations/operations.css';
import './settings.css';

/** "Read" or "Read and write". */
export function scopesLabel(scopes: readonly string[]): string {
  return scopes.includes('write') ? 'Read and write' : 'Read';
}

/** A date (`YYYY-MM-DD`) or an instant, as a local date: "12 Mar 2027". */
function formatDay(value: string): string {
  if (!value.includes('T')) return formatDate(value);
  const at = new Date(value);
  return Number.isNaN(at.getTime())
    ? value
    : at.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** True once a date (its whole day) or an instant has passed. */
function hasPassed(value: string, now: number): boolean {
  if (!value.includes('T')) return (daysUntil(value, new Date(now)) ?? 0) < 0;
  const at = Date.parse(value);
  return !Number.isNaN(at) && at <= now;
}

/** When the token stops working: an instant (the API's), shown to the minute, or a date. */
function Expires({ at, now }: { at: string | null | undefined; now: number }) {
  if (!at) return <span className="ow-subtle">Never</span>;
  return (
    <span className="ow-nowrap">
      <time dateTime={at}>{at.includes('T') ? absoluteTime(at) : formatDate(at)}</time>
      {hasPassed(at, now) && (
        <>
          {' '}
          <Lozenge appearance="removed">Expired</Lozenge>
        </>
      )}
    </span>
  );
}

interface TokenTableProps {
  tokens: TokenView[];
  /** Whether the caller may revoke this token. */
  mayRevoke: (token: TokenView) => boolean;
  onRevoke: (token: TokenView) => void;
}

function TokenTable({ tokens, mayRevoke, onRevoke }: TokenTableProps) {
  const now = useNow();
  return (
    <div className="ow-table-scroll">
      <table className="ow-table ow-token-table" data-testid="tokens-table">
        <caption className="ow-visually-hidden">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Access</th>
            <th scope="col">Created by</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="ow-visually-hidden">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row" data-token-id={t.id} data-prefix={t.prefix}>
              <td data-testid="token-row-name">{t.name}</td>
              <td>
                <code className="ow-mono">{t.prefix}…</code>
              </td>
              <td className="ow-nowrap">{scopesLabel(t.scopes)}</td>
              <td title={t.createdBy.accountId}>{t.createdBy.name || t.createdBy.accountId}</td>
              <td className="ow-nowrap">
                <time dateTime={t.createdAt} title={absoluteTime(t.createdAt)}>
                  {formatDay(t.createdAt)}
                </time>
              </td>
              <td className="ow-nowrap">
                {t.lastUsedAt ? (
                  <time dateTime={t.lastUsedAt} title={absoluteTime(t.lastUsedAt)}>
                    {relativeTime(t.lastUsedAt, now)}
                  </time>
                ) : (
                  <span className="ow-subtle">Never</span>
                )}
              </td>
              <td>
                <Expires at={t.expiresAt} now={now} />
              </td>
              <td>
                {mayRevoke(t) && (
                  <Button
                    spacing="compact"
                    appearance="subtle"
                    onClick={() => onRevoke(t)}
                    aria-label={`Revoke the token ${t.name}`}
                    testId="token-revoke"
                  >
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Settings → API tokens (once an API key is saved): scripts call orgwarden's API with
 * `Authorization: Bearer owt_…`. Create (the secret is shown once), list, revoke.
 */
export function ApiTokensSection() {
  const apiKey = useApiKey();
  // Without a key the API has nothing to answer a script with.
  return apiKey.data ? <ApiTokens /> : null;
}

function ApiTokens() {
  const tokens = useTokens();
  const me = useMe().data;
  // Org admins revoke any token; everyone else only their own.
  const mayRevoke = (token: TokenView) =>
    me?.access.as === 'orgAdmin' || token.createdBy.accountId === me?.accountId;
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<TokenView | null>(null);

  let content;
  if (tokens.isPending) content = <Spinner size="medium" label="Loading the API tokens" />;
  else if (tokens.isError)
    content = (
      <ErrorMessage
        error={tokens.error}
        title="The API tokens could not be loaded"
        onRetry={() => void tokens.refetch()}
      />
    );
  else if (tokens.data.length === 0)
    content = (
      <p className="ow-subtle" data-testid="tokens-empty">
        No API tokens yet.
      </p>
    );
  else content = <TokenTable tokens={tokens.data} mayRevoke={mayRevoke} onRevoke={setRevoking} />;

  return (
    <section
      aria-labelledby="api-tokens-heading"
      className="ow-panel ow-panel-wide"
      data-testid="api-tokens"
    >
      <Stack space="space.200">
        <Heading size="small" as="h2" id="api-tokens-heading">
          API tokens
        </Heading>
        <Text as="p" color="color.text.subtle">
          Scripts and other tools call orgwarden&apos;s API with a token instead of a Jira session.
          Treat a token like a password; revoke it when it is no longer needed.
        </Text>
        {content}
        <Heading size="xsmall" as="h3">
          Create a token
        </Heading>
        <CreateTokenForm onCreated={setCreated} />
      </Stack>
      {created && <TokenCreatedModal created={created} onClose={() => setCreated(null)} />}
      {revoking && <RevokeTokenModal token={revoking} onClose={() => setRevoking(null)} />}
    </section>
  );
}
