import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import Spinner from '@atlaskit/spinner';
import { type License, editionLabel, useLicense } from '../../api/license';
import { absoluteTime } from '../../time';

const STATES: Record<License['state'], { label: string; appearance: 'success' | 'moved' | 'removed' }> = {
  ok: { label: 'Within the limit', appearance: 'success' },
  grace: { label: 'Grace period', appearance: 'moved' },
  exceeded: { label: 'Limit exceeded', appearance: 'removed' },
};

/** How the limit is computed: "2 × 120 billable users of the installation site". */
function basis(license: License): string {
  if (license.multiplier === null || license.multiplier === undefined) return 'a fixed limit';
  return `${license.multiplier} × ${license.installSiteBillableUsers.toLocaleString()} billable users of the installation site`;
}

/** This app's license: edition, limit, managed users and a usage bar, with its state. */
export function LicensePanel() {
  const license = useLicense();
  const data = license.data;
  let body;
  if (license.isPending) {
    body = <Spinner size="small" label="Loading the license" />;
  } else if (!data) {
    body = <p className="ow-subtle">{license.error?.message ?? 'The license could not be read.'}</p>;
  } else {
    const state = STATES[data.state];
    const width = Math.min(100, Math.max(0, data.usagePercent));
    body = (
      <>
        <dl className="ow-license-facts">
          <div>
            <dt>Edition</dt>
            <dd data-testid="license-edition">{editionLabel(data.edition)}</dd>
          </div>
          <div>
            <dt>Multiplier</dt>
            <dd data-testid="license-multiplier">{data.multiplier === null || data.multiplier === undefined ? '—' : `×${data.multiplier}`}</dd>
          </div>
          <div>
            <dt>Limit</dt>
            <dd data-testid="license-limit" title={basis(data)}>
              {data.limit.toLocaleString()}
            </dd>
          </div>
          <div>
            <dt>Managed users</dt>
            <dd data-testid="license-managed">{data.managedUsers.toLocaleString()}</dd>
          </div>
        </dl>
        <div
          className={`ow-usage ow-usage-${data.state}`}
          role="meter"
          aria-label="License usage"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={width}
          aria-valuetext={`${data.usagePercent}% of the limit`}
          data-testid="license-usage"
        >
          <span style={{ width: `${width}%` }} />
        </div>
        <p className="ow-license-line">
          <Lozenge appearance={state.appearance} testId="license-state">
            {state.label}
          </Lozenge>{' '}
          <span>
            {data.usagePercent.toLocaleString()}% used · limit = {basis(data)}
            {data.state === 'grace' && data.graceEndsAt ? ` · grace ends ${absoluteTime(data.graceEndsAt)}` : ''}
          </span>
        </p>
        {data.state !== 'ok' && data.message && (
          <p className="ow-subtle" data-testid="license-message">
            {data.message}
          </p>
        )}
      </>
    );
  }
  return (
    <section className="ow-license-panel" aria-labelledby="license-heading" data-testid="license-panel">
      <Heading size="small" as="h2" id="license-heading">
        orgwarden license
      </Heading>
      {body}
    </section>
  );
}
