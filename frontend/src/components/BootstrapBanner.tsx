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

/**
 * Under the header while Atlassian rejects the saved Organization API key: nobody's admin roles
 * can be confirmed, so an org admin (as the mirror last knew) may only save a working key.
 */
export function KeyRejectedBanner() {
  return (
    <div className="ow-page-banner">
      <SectionMessage
        appearance="error"
        title="Atlassian no longer accepts the saved Organization API key"
        testId="key-rejected-banner"
      >
        <p>
          The key was revoked, has expired or may no longer manage the organization, so orgwarden
          cannot confirm anyone&apos;s admin roles and stays closed until a working key is saved.
        </p>
        <p>
          Create a new key in Atlassian Administration → Settings → API keys and save it below:
          everything orgwarden knew about your organization comes back with it.
        </p>
      </SectionMessage>
    </div>
  );
}
