import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Dashboard, HistoryPoint } from '../../api/types';
import { SITE_A, baseRoutes, dashboard, license, renderApp } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';

/** The fixture's dashboard with a price for Confluence only. */
function priced(url: URL): Dashboard {
  const base = dashboard(
    Number(url.searchParams.get('inactiveDays') ?? 90),
    url.searchParams.get('siteId'),
  );
  const products = base.products.map((t) =>
    t.productKey === 'confluence'
      ? { ...t, seatPrice: 5.5, monthlySavings: t.inactive * 5.5 }
      : { ...t, seatPrice: null, monthlySavings: null },
  );
  const total = products.reduce((sum, t) => sum + (t.monthlySavings ?? 0), 0);
  return { ...base, products, totalMonthlySavings: total };
}

function point(day: string, inactive: number, total = 52): HistoryPoint {
  return {
    day,
    siteId: SITE_A,
    siteName: 'acme',
    productKey: 'confluence',
    productName: 'Confluence',
    inactiveDays: 90,
    active: total - inactive,
    inactive,
    total,
  };
}

describe('Dashboard: license, savings and trends', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('shows the license panel: edition, multiplier, limit, managed users and usage', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/license': () => ({ status: 200, body: license() }),
    });
    renderApp('?view=dashboard');
    const panel = await screen.findByTestId('license-panel');
    await waitFor(() =>
      expect(within(panel).getByTestId('license-edition')).toHaveTextContent('Standard'),
    );
    expect(within(panel).getByTestId('license-multiplier')).toHaveTextContent('×2');
    expect(within(panel).getByTestId('license-limit')).toHaveTextContent('200');
    expect(within(panel).getByTestId('license-managed')).toHaveTextContent('150');
    expect(within(panel).getByRole('meter', { name: 'License usage' })).toHaveAttribute(
      'aria-valuenow',
      '75',
    );
    expect(within(panel).getByTestId('license-state')).toHaveTextContent('Within the limit');
    expect(panel).toHaveTextContent('2 × 100 billable users of the installation site');
  });

  it('shows the grace state in the panel', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/license': () => ({
        status: 200,
        body: license({
          edition: 'advanced',
          multiplier: 5,
          limit: 500,
          managedUsers: 600,
          usagePercent: 120,
          state: 'grace',
          graceDaysLeft: 40,
          graceEndsAt: '2026-03-01T00:00:00Z',
          message: 'Over the license limit.',
        }),
      }),
    });
    renderApp('?view=dashboard');
    const panel = await screen.findByTestId('license-panel');
    await waitFor(() =>
      expect(within(panel).getByTestId('license-state')).toHaveTextContent('Grace period'),
    );
    expect(within(panel).getByTestId('license-edition')).toHaveTextContent('Advanced');
    expect(within(panel).getByRole('meter')).toHaveAttribute('aria-valuenow', '100');
    expect(within(panel).getByTestId('license-message')).toHaveTextContent(
      'Over the license limit.',
    );
  });

  it('turns inactive seats into potential savings when seat prices are set', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/dashboard': (_: unknown, url: URL) => ({ status: 200, body: priced(url) }),
    });
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('total-savings')).toHaveTextContent('$82.50');
    expect(screen.getByTestId('savings')).toHaveTextContent('1 product without a price');
    const savings = screen.getAllByTestId('tile-savings');
    // Confluence on both sites; Jira Software has no price.
    expect(savings).toHaveLength(2);
    expect(savings[0]).toHaveTextContent('$66/month potential savings (12 × $5.50)');
  });

  it('links to Settings when no seat price is set', async () => {
    installFakeFetch(baseRoutes());
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    expect(await screen.findByTestId('savings-unset')).toHaveTextContent(
      'Set a monthly price per seat',
    );
    expect(screen.queryByTestId('tile-savings')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('savings-settings-link'));
    await waitFor(() =>
      expect(new URLSearchParams(window.location.search).get('view')).toBe('settings'),
    );
  });

  it('draws a trend per tile from the daily snapshots of the chosen site', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/dashboard/history': () => ({
        status: 200,
        body: {
          points: [point('2026-01-03', 12), point('2026-01-01', 20), point('2026-01-02', 15)],
        },
      }),
    });
    renderApp(`?view=dashboard&site=${SITE_A}`);
    const trend = await screen.findByTestId('tile-trend');
    expect(trend).toHaveAttribute('data-points', '3');
    expect(trend.querySelectorAll('polyline')).toHaveLength(2);
    const tile = trend.closest('[data-testid="dashboard-tile"]');
    expect(tile).toHaveAttribute('data-product-key', 'confluence');
    expect(tile).toHaveTextContent('inactive 20 → 12 since Jan 1');
    expect(tile?.getAttribute('aria-label')).toContain('Trend: inactive 20 → 12 since Jan 1.');
    // Jira Software has no snapshots: no chart.
    expect(screen.getAllByTestId('tile-trend')).toHaveLength(1);
    expect(calls.find((c) => c.path === '/api/v1/dashboard/history')?.query).toBe(
      `?days=30&siteId=${SITE_A}`,
    );
  });

  it('says when trends will appear while there is one snapshot or none', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/dashboard/history': () => ({
        status: 200,
        body: { points: [point('2026-01-03', 12)] },
      }),
    });
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('trend-pending')).toHaveTextContent(
      'from the second daily snapshot',
    );
    expect(screen.queryByTestId('tile-trend')).not.toBeInTheDocument();
  });
});
