import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useApiKey } from '../api/queries';
import { ErrorMessage } from '../components/ErrorMessage';
import { describeDays, daysUntil, expiryState } from '../expiry';
import type { SectionId } from '../features';

interface OverviewProps {
  onNavigate: (section: SectionId) => void;
}

/** Sends admins to Settings until an organization is connected. */
export function ConnectPrompt({ onNavigate }: OverviewProps) {
  return (
    <SectionMessage
      appearance="information"
      title="Connect your organization"
      testId="connect-prompt"
      actions={
        <Button appearance="primary" onClick={() => onNavigate('settings')} testId="go-to-settings">
          Open Settings
        </Button>
      }
    >
      <p>
        orgwarden manages every user of your Atlassian organization, across all sites and products. To
        start, enter an Organization API key in Settings.
      </p>
    </SectionMessage>
  );
}

/** The landing page until the Dashboard exists. */
export function Overview({ onNavigate }: OverviewProps) {
  const apiKey = useApiKey();

  let body;
  if (apiKey.isPending) {
    body = <Spinner size="medium" label="Loading" />;
  } else if (apiKey.isError) {
    body = <ErrorMessage error={apiKey.error} onRetry={() => void apiKey.refetch()} />;
  } else if (apiKey.data === null) {
    body = <ConnectPrompt onNavigate={onNavigate} />;
  } else {
    const days = daysUntil(apiKey.data.expiresAt);
    const state = expiryState(days);
    body = (
      <SectionMessage
        appearance={state === 'expired' ? 'error' : state === 'soon' ? 'warning' : 'success'}
        title={`Connected to ${apiKey.data.orgName}`}
        testId="connected"
        actions={
          <Button onClick={() => onNavigate('settings')} testId="go-to-settings">
            Settings
          </Button>
        }
      >
        <p>
          The Organization API key {days === null ? 'is saved' : describeDays(days)}.
        </p>
      </SectionMessage>
    );
  }

  return (
    <Stack space="space.300">
      <Heading size="large" as="h1">
        Overview
      </Heading>
      {body}
    </Stack>
  );
}
