import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import type { SectionId } from '../features';

/** Sends admins to Settings until an organization is connected. */
export function ConnectPrompt({ onNavigate }: { onNavigate: (section: SectionId) => void }) {
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
        orgwarden manages every user of your Atlassian organization, across all sites and products.
        To start, enter an Organization API key in Settings.
      </p>
    </SectionMessage>
  );
}
