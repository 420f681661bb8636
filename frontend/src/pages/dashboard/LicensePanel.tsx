import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import Spinner from '@atlaskit/spinner';
import {
  type License,
  type MarketplaceStanding,
  editionLabel,
  marketplaceOf,
  useLicense,
} from '../../api/license';
import { LICENSE_STATES, stateWords } from '../../components/operations/describeStates';
import { absoluteTime } from '../../time';

const MARKETPLACE: Record<
  MarketplaceStanding,
  { label: string; appearance: 'success' | 'inprogress' | 'removed' | 'default'; help: string }
> = {
  active: {
    label: 'Active',
    appearance: 'success',
    help: 'The Marketplace subscription on this Jira site is active.',
  },
  evaluation: {
    label: 'Evaluation',
    appearance: 'inprogress',
    help: 'orgwarden is in its Marketplace evaluation on this Jira site; subscribe before it ends to keep acting.',
  },
  inactive: {
    label: 'Inactive',
    appearance: 'removed',
    help: 'The Marketplace license is not active: bulk operations and automated tasks are refused (all data stays readable). Renew or subscribe in Jira → Apps → Manage apps.',
  },
  none: {
    label: 'None',
    appearance: 'default',
    help: 'Jira reports no Marketplace license for orgwarden on this site.',
  },
};

/** How the limit is computed: "2 × 120 billable users of the installation site". */
function basis(license: License): string {
  if (license.multiplier === null || license.multiplier === undefined) return 'a fixed limit';
  return `${license.multiplier} × ${license.installSiteBillableUsers.toLocaleString()} billable users of the installation site`;
}

/**
 * This app's license: edition, the Marketplace license beside it (when the server reports it), limit,
 * managed users and a usage bar, with its state.
 */
export function LicensePanel() {
  const license = useLicense();
  const data = license.data;
  let body;
  if (license.isPending) {
    body = <Spinner size="small" label="Loading the license" />;
  } else if (!data) {
    body = (
      <p className="ow-subtle">{license.error?.message ?? 'The license could not be read.'}</p>
    );
  } else {
    const state = stateWords(LICENSE_STATES, data.state);
    const marketplace = marketplaceOf(data);
    const listing = marketplace ? MARKETPLACE[marketplace.standing] : null;
    const width = Math.min(100, Math.max(0, data.usagePercent));
    body = (
      <>
        <dl className="ow-license-facts">
          <div>
            <dt>Edition</dt>
            <dd data-testid="license-edition">{editionLabel(data.edition)}</dd>
          </div>
          {marketplace && listing && (
            <div>
              <dt>Marketplace license</dt>
              <dd
                data-testid="license-marketplace"
                data-standing={marketplace.standing}
                title={listing.help}
              >
                <Lozenge appearance={listing.appearance}>{listing.label}</Lozenge>
                {marketplace.type && marketplace.standing !== 'evaluation' && (
                  <span className="ow-license-type"> {marketplace.type.toLowerCase()}</span>
                )}
              </dd>
            </div>
          )}
          <div>
            <dt>Multiplier</dt>
            <dd data-testid="license-multiplier">
              {data.multiplier === null || data.multiplier === undefined
                ? '—'
                : `×${data.multiplier}`}
            </dd>
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
            {data.state === 'grace' && data.graceEndsAt
              ? ` · grace ends ${absoluteTime(data.graceEndsAt)}`
              : ''}
          </span>
        </p>
        {listing && marketplace?.standing !== 'active' && (
          <p className="ow-subtle" data-testid="license-marketplace-help">
            {listing.help}
          </p>
        )}
        {!data.mayAct && (
          <p className="ow-subtle" data-testid="license-may-act">
            Bulk operations and automated tasks are blocked until the license is back within its
            terms.
          </p>
        )}
        {data.state !== 'ok' && data.message && (
          <p className="ow-subtle" data-testid="license-message">
            {data.message}
          </p>
        )}
      </>
    );
  }
  return (
    <section
      className="ow-license-panel"
      aria-labelledby="license-heading"
      data-testid="license-panel"
    >
      <Heading size="small" as="h2" id="license-heading">
        orgwarden license
      </Heading>
      {body}
    </section>
  );
}
