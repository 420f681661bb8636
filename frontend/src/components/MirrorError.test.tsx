import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, license, renderApp, syncStatus } from '../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../test/fakeServer';

describe('The first sync failed', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('shows why a new sync could not start', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/license': () => ({ status: 200, body: license() }),
      'GET /api/v1/sync': () => ({
        status: 200,
        body: syncStatus({ state: 'failed', syncedAt: null, error: 'The key was refused.' }),
      }),
      'POST /api/v1/sync': () => ({
        status: 429,
        body: envelope('rate_limited', 'A sync ran a moment ago: try again in 5 minutes.'),
      }),
    });
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    const failed = await screen.findByTestId('not-synced');
    await user.click(within(failed).getByTestId('not-synced-retry'));

    expect(await screen.findByTestId('error-message')).toHaveTextContent(
      'A sync ran a moment ago: try again in 5 minutes.',
    );
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/sync')).toHaveLength(1);
  });
});
