import Button from '@atlaskit/button/new';
import type { Dashboard } from '../../api/types';
import { money } from '../../money';
import { useRouter } from '../../route';

/** Potential savings per month over the tiles shown, or how to get them (seat prices in Settings). */
export function SavingsSummary({ dashboard }: { dashboard: Dashboard }) {
  const { navigate } = useRouter();
  const total = dashboard.totalMonthlySavings ?? null;
  // Products (not tiles: one product may be on several sites) with no seat price.
  const unpriced = new Set(
    dashboard.products
      .filter((t) => t.seatPrice === null || t.seatPrice === undefined)
      .map((t) => t.productKey),
  );
  if (total === null) {
    return (
      <div className="ow-savings" data-testid="savings-unset">
        <span>Set a monthly price per seat to see what inactive seats cost.</span>
        <Button
          spacing="compact"
          onClick={() => navigate('settings')}
          testId="savings-settings-link"
        >
          Set seat prices in Settings
        </Button>
      </div>
    );
  }
  return (
    <div className="ow-savings" data-testid="savings">
      <span>
        Potential savings:{' '}
        <strong className="ow-savings-total" data-testid="total-savings">
          {money(total, dashboard.currency)}
        </strong>{' '}
        per month (inactive seats × seat price)
        {unpriced.size > 0 && (
          <span className="ow-subtle">
            {' '}
            · {unpriced.size} product{unpriced.size === 1 ? '' : 's'} without a price
          </span>
        )}
      </span>
      <Button
        spacing="compact"
        appearance="subtle"
        onClick={() => navigate('settings')}
        testId="savings-settings-link"
      >
        Seat prices
      </Button>
    </div>
  );
}
