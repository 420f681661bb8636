import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import type { ApiKeyView } from '../../api/types';
import { describeDays, daysUntil, expiryState, formatDate } from '../../expiry';

interface ApiKeySummaryProps {
  view: ApiKeyView;
  /** Org admins replace and remove the key; everyone else reads it. */
  manage: boolean;
  onReplace: () => void;
  onRemove: () => void;
}

function ExpiryLozenge({ days }: { days: number | null }) {
  const state = expiryState(days);
  if (days === null || state === 'unknown') return null;
  const appearance = state === 'expired' ? 'removed' : state === 'soon' ? 'moved' : 'success';
  return (
    <Lozenge appearance={appearance} testId="api-key-expiry-state">
      {describeDays(days)}
    </Lozenge>
  );
}

/** The saved key, masked, with its organization and expiry; "Replace" and "Remove" (org admins). */
export function ApiKeySummary({ view, manage, onReplace, onRemove }: ApiKeySummaryProps) {
  const days = daysUntil(view.expiresAt);
  const state = expiryState(days);
  return (
    <Stack space="space.200">
      {state === 'expired' && (
        <SectionMessage appearance="error" title="The API key has expired" testId="api-key-expired">
          <p>
            orgwarden cannot reach your organization. Create a new key in Atlassian Administration
            and replace this one.
          </p>
        </SectionMessage>
      )}
      {state === 'soon' && days !== null && (
        <SectionMessage
          appearance="warning"
          title={`The API key ${describeDays(days)}`}
          testId="api-key-expiring"
        >
          <p>
            Create a new key in Atlassian Administration and replace this one before it expires.
          </p>
        </SectionMessage>
      )}
      <dl className="ow-facts" data-testid="api-key-summary">
        <dt>Organization</dt>
        <dd>
          <strong data-testid="org-name">{view.orgName}</strong>{' '}
          <span className="ow-subtle">({view.orgId})</span>
        </dd>
        <dt>API key</dt>
        <dd>
          <code data-testid="masked-key">{view.maskedKey}</code>
        </dd>
        <dt>Expires</dt>
        <dd>
          <Inline space="space.100" alignBlock="center">
            <span>{formatDate(view.expiresAt)}</span>
            <ExpiryLozenge days={days} />
          </Inline>
        </dd>
      </dl>
      {manage ? (
        <Inline space="space.100">
          <Button onClick={onReplace} testId="api-key-replace">
            Replace
          </Button>
          <Button appearance="subtle" onClick={onRemove} testId="api-key-remove">
            Remove
          </Button>
        </Inline>
      ) : (
        <p className="ow-subtle" data-testid="api-key-readonly">
          Only organization admins can replace or remove the key.
        </p>
      )}
    </Stack>
  );
}
