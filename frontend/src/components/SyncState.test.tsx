import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, renderApp, syncStatus } from '../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../test/fakeServer';

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe('Header sync state', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('says when the last sync finished', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync': () => ({ status: 200, body: syncStatus({ syncedAt: minutesAgo(3) }) }),
    });
    renderApp('?view=settings');
    await waitFor(() =>
      expect(screen.getByTestId('sync-state-text')).toHaveTextContent('Synced 3 min ago'),
    );
    expect(screen.getByTestId('sync-now')).toBeEnabled();
  });

  it('starts a sync from "never synced", then shows it queued', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync': () => ({
        status: 404,
        body: envelope('no_sync_yet', 'No sync has run yet.'),
      }),
      'POST /api/v1/sync': () => ({
        status: 202,
        body: syncStatus({ kind: 'manual', state: 'queued', phase: 'queued', syncedAt: null }),
      }),
    });
    renderApp('?view=settings');
    const user = userEvent.setup();
    expect(await screen.findByTestId('sync-state-text')).toHaveTextContent('Not synced yet');
    await user.click(screen.getByTestId('sync-now'));
    await waitFor(() =>
      expect(screen.getByTestId('sync-state-text')).toHaveTextContent('Sync queued'),
    );
    expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/sync')).toHaveLength(1);
    expect(screen.getByTestId('sync-now')).toBeDisabled();
  });

  it('polls a running sync with its phase and counts, then refreshes the pages when it completes', async () => {
    let polls = 0;
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync': () => {
        polls += 1;
        return polls === 1
          ? {
              status: 200,
              body: syncStatus({
                state: 'running',
                phase: 'users and groups',
                counts: { sites: 2, users: 1200, groups: 5 },
                syncedAt: minutesAgo(60),
              }),
            }
          : { status: 200, body: syncStatus({ syncedAt: minutesAgo(0) }) };
      },
    });
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('sync-state-text')).toHaveTextContent(
      'Syncing users and groups · 2 sites, 1,200 users, 5 groups',
    );
    await screen.findAllByTestId('dashboard-tile');
    const dashboards = () => calls.filter((c) => c.path === '/api/v1/dashboard').length;
    const before = dashboards();
    await waitFor(
      () => expect(screen.getByTestId('sync-state-text')).toHaveTextContent('Synced just now'),
      { timeout: 5000 },
    );
    await waitFor(() => expect(dashboards()).toBeGreaterThan(before));
  });

  it('shows the error of a failed sync', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync': () => ({
        status: 200,
        body: syncStatus({
          state: 'failed',
          error: 'The Organization API key has expired: save a new one in Settings.',
        }),
      }),
    });
    renderApp('?view=settings');
    const text = await screen.findByTestId('sync-state-text');
    expect(text).toHaveTextContent(
      'Sync failed: The Organization API key has expired: save a new one in Settings.',
    );
    expect(screen.getByTestId('sync-state')).toHaveAttribute('data-state', 'failed');
    expect(screen.getByTestId('sync-now')).toBeEnabled();
  });

  it('is not shown before an API key is saved', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/settings/api-key': () => ({
        status: 404,
        body: envelope('api_key_not_set', 'No API key is saved.'),
      }),
    });
    renderApp('');
    expect(await screen.findByTestId('connect-prompt')).toBeInTheDocument();
    expect(screen.queryByTestId('sync-state')).not.toBeInTheDocument();
    expect(screen.queryByTestId('nav-dashboard')).not.toBeInTheDocument();
    expect(screen.getByTestId('nav-settings')).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/api/v1/sync')).toBe(false);
  });
});
