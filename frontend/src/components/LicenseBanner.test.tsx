import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, license, renderApp, users } from '../test/app';
import { installFakeAp, installFakeFetch } from '../test/fakeServer';

const GRACE_MESSAGE =
  'Over the license limit: 260 users managed, limit 200. The grace period ends 2026-02-01 09:00 UTC (12 days); until then everything keeps working, after it operations and tasks are refused (all data stays readable).';
const EXCEEDED_MESSAGE =
  'License limit exceeded: operations and tasks are refused since 2026-02-01 09:00 UTC; all data stays readable. To fix it, bring the billable users down to 200 or fewer, or upgrade to the Advanced edition.';

function routes(state: Parameters<typeof license>[0]) {
  return {
    ...baseRoutes(),
    'GET /api/v1/license': () => ({ status: 200, body: license(state) }),
    'POST /api/v1/users/search': () => ({
      status: 200,
      body: { total: 3, page: 1, pageSize: 25, items: users(3) },
    }),
  };
}

describe('License banner', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('says how many days of grace are left, on every page', async () => {
    installFakeFetch(
      routes({
        state: 'grace',
        managedUsers: 260,
        usagePercent: 130,
        graceDaysLeft: 12,
        graceEndsAt: '2026-02-01T09:00:00Z',
        message: GRACE_MESSAGE,
      }),
    );
    renderApp('?view=users');
    const banner = await screen.findByTestId('license-banner');
    expect(banner).toHaveTextContent('Over the license limit: 12 days left in the grace period');
    expect(banner).toHaveTextContent(
      'after it operations and tasks are refused (all data stays readable)',
    );
    expect(await screen.findByTestId('users')).toBeInTheDocument();
  });

  it('says what is blocked and how to fix it once the grace period is over', async () => {
    installFakeFetch(
      routes({
        state: 'exceeded',
        managedUsers: 260,
        usagePercent: 130,
        mayAct: false,
        message: EXCEEDED_MESSAGE,
      }),
    );
    renderApp('?view=settings');
    const banner = await screen.findByTestId('license-banner');
    expect(banner).toHaveTextContent('bulk operations and automated tasks are blocked');
    expect(banner).toHaveTextContent('upgrade to the Advanced edition');
  });

  it('falls back to its own words when the server sends no message', async () => {
    installFakeFetch(routes({ state: 'exceeded', managedUsers: 260, mayAct: false, message: '' }));
    renderApp('?view=dashboard');
    const banner = await screen.findByTestId('license-banner');
    expect(banner).toHaveTextContent('everything stays readable');
    expect(banner).toHaveTextContent('remove users, then sync), or upgrade the edition');
  });

  it('stays hidden within the limit', async () => {
    const calls = installFakeFetch(routes({}));
    renderApp('?view=dashboard');
    await screen.findAllByTestId('dashboard-tile');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/license')).toBe(true));
    expect(screen.queryByTestId('license-banner')).not.toBeInTheDocument();
  });
});
