import SectionMessage from '@atlaskit/section-message';
import { type License, useLicense } from '../api/license';
import './LicenseBanner.css';

function plural(n: number, unit: string): string {
  return `${n.toLocaleString()} ${unit}${n === 1 ? '' : 's'}`;
}

/** The banner's heading: days left in grace, or what is blocked. */
function licenseTitle(license: License): string {
  if (license.state === 'exceeded')
    return 'License limit exceeded: bulk operations and automated tasks are blocked';
  const days = license.graceDaysLeft ?? 0;
  return `Over the license limit: ${plural(days, 'day')} left in the grace period`;
}

/** What happens and how to fix it, when the server sends no message of its own. */
function fallbackMessage(license: License): string {
  const over = `${license.managedUsers.toLocaleString()} users are managed; the limit is ${license.limit.toLocaleString()}.`;
  const fix = `To fix it, bring the billable users down to ${license.limit.toLocaleString()} or fewer (remove users, then sync), or upgrade the edition.`;
  if (license.state === 'exceeded')
    return `${over} Bulk operations and automated tasks are refused; everything stays readable. ${fix}`;
  return `${over} Everything keeps working until the grace period ends; after it, bulk operations and automated tasks are refused (everything stays readable). ${fix}`;
}

/** Under the header on every page while the organization is over the app's license limit. */
export function LicenseBanner() {
  const license = useLicense();
  const data = license.data;
  if (!data || data.state === 'ok') return null;
  return (
    <div className="ow-license-banner">
      <SectionMessage
        appearance={data.state === 'exceeded' ? 'error' : 'warning'}
        title={licenseTitle(data)}
        testId="license-banner"
      >
        <p data-state={data.state}>{data.message || fallbackMessage(data)}</p>
      </SectionMessage>
    </div>
  );
}
