import SectionMessage from '@atlaskit/section-message';

/**
 * Under the header while a Jira admin sets orgwarden up (no Organization API key saved yet): an
 * org admin must finish setup, and saving the key makes the org admin rules apply.
 */
export function BootstrapBanner() {
  return (
    <div className="ow-page-banner">
      <SectionMessage
        appearance="warning"
        title="An organization admin must finish setting up orgwarden"
        testId="bootstrap-banner"
      >
        <p>
          You can open Settings because you are a Jira admin and no Organization API key is saved
          yet. An organization admin of your Atlassian organization creates the key in Atlassian
          Administration → Settings → API keys; it can be saved here.
        </p>
        <p>
          Once a key is saved, the organization&apos;s rules apply: only organization admins (and
          the product admins or user access admins they allow in Settings → App access control) can
          use orgwarden. If you are not one of them, you lose access when the key is saved.
        </p>
      </SectionMessage>
    </div>
  );
}
