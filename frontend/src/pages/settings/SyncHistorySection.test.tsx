import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, renderApp, syncStatus } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { duration, kindLabel } from './SyncHistorySection';

const RUNS = [
  syncStatus({
    id: 3,
    kind: 'manual',
    state: 'failed',
    phase: 'users and groups',
    counts: { users: 120, groups: 0, sites: 2 },
    requests: 7,
    startedAt: '2026-01-02T09:00:00Z',
    finishedAt: '2026-01-02T09:00:42Z',
    error:
      'The Admin API refused the Organization API key (401): it may have expired or been revoked.',
  }),
  syncStatus({
    id: 2,
    kind: 'daily',
    mode: 'incremental',
    rowsWritten: 40,
    counts: { users: 1500, groups: 12, sites: 2 },
    requests: 31,
    startedAt: '2026-01-02T02:00:00Z',
    finishedAt: '2026-01-02T02:03:05Z',
  }),
  syncStatus({
    id: 1,
    kind: 'initial',
    startedAt: '2026-01-01T09:59:01Z',
    finishedAt: '2026-01-01T10:00:00Z',
  }),
];

describe('Settings: sync history', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('lists the recent runs: kind, state, start, duration, counts, requests, and errors with what to do', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync/runs': () => ({ status: 200, body: RUNS }),
    });
    renderApp('?view=settings');
    const section = await screen.findByTestId('sync-history');
    const rows = await within(section).findAllByTestId('sync-run');
    expect(calls.find((c) => c.path === '/api/v1/sync/runs')?.query).toBe('?limit=20');
    expect(rows.map((r) => r.getAttribute('data-kind'))).toEqual(['manual', 'daily', 'initial']);

    const [failed, daily, initial] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(failed).toHaveTextContent('Manual');
    expect(failed).toHaveTextContent('Failed');
    expect(within(failed).getByTestId('sync-run-duration')).toHaveTextContent('42 s');
    expect(within(failed).getByTestId('sync-run-users')).toHaveTextContent('120');
    expect(within(failed).getByTestId('sync-run-requests')).toHaveTextContent('7');
    const error = within(failed).getByTestId('sync-run-error');
    expect(error).toHaveTextContent('refused the Organization API key (401)');
    expect(error).toHaveTextContent('Check the Organization API key above');

    expect(daily).toHaveTextContent('Daily');
    expect(daily).toHaveTextContent('Succeeded');
    expect(within(daily).getByTestId('sync-run-duration')).toHaveTextContent('3 min 5 s');
    expect(within(daily).getByTestId('sync-run-users')).toHaveTextContent('1,500');
    expect(within(daily).getByTestId('sync-run-groups')).toHaveTextContent('12');
    expect(within(daily).getByTestId('sync-run-sites')).toHaveTextContent('2');
    expect(within(daily).getByTestId('sync-run-requests')).toHaveTextContent('31');
    expect(within(daily).getByTestId('sync-run-mode')).toHaveTextContent('Changes only');
    expect(within(daily).getByTestId('sync-run-mode')).toHaveAttribute('title', '40 rows written');
    expect(within(daily).queryByTestId('sync-run-error')).not.toBeInTheDocument();
    expect(initial).toHaveTextContent('First sync');

    // The last run failed: offer to sync again.
    expect(within(section).getByTestId('sync-history-retry')).toBeInTheDocument();
    expect(within(section).getByRole('table')).toHaveAccessibleName(
      /The latest 3 syncs, newest first/,
    );
  });

  it('opens from the header and lands on the history', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync/runs': () => ({ status: 200, body: RUNS.slice(1) }),
    });
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('sync-history-link'));
    const section = await screen.findByTestId('sync-history');
    expect(new URLSearchParams(window.location.search).get('view')).toBe('settings');
    expect(new URLSearchParams(window.location.search).get('panel')).toBe('sync-history');
    await waitFor(() => expect(section).toHaveFocus());
    expect(await within(section).findAllByTestId('sync-run')).toHaveLength(2);
    expect(within(section).queryByTestId('sync-history-retry')).not.toBeInTheDocument();
  });

  it('follows a running sync until it ends', async () => {
    let polls = 0;
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync/runs': () => {
        polls += 1;
        const head =
          polls === 1
            ? syncStatus({
                id: 4,
                kind: 'manual',
                state: 'running',
                phase: 'users and groups',
                finishedAt: null,
                counts: { users: 300, groups: 2, sites: 2 },
              })
            : syncStatus({ id: 4, kind: 'manual' });
        return { status: 200, body: [head, ...RUNS.slice(1)] };
      },
    });
    renderApp('?view=settings');
    const first = (await screen.findAllByTestId('sync-run'))[0]!;
    expect(first).toHaveAttribute('data-state', 'running');
    expect(first).toHaveTextContent('users and groups');
    await waitFor(
      () => expect(screen.getAllByTestId('sync-run')[0]).toHaveAttribute('data-state', 'succeeded'),
      { timeout: 5000 },
    );
  });

  it('says when no sync has run', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync/runs': () => ({ status: 200, body: [] }),
    });
    renderApp('?view=settings');
    expect(await screen.findByTestId('sync-history-empty')).toHaveTextContent(
      'No sync has run yet.',
    );
  });
});

describe('sync history helpers', () => {
  it('names kinds and measures durations', () => {
    expect(kindLabel('pre_operation')).toBe('Before an operation');
    expect(kindLabel('something_new')).toBe('Something new');
    expect(duration({ startedAt: null, finishedAt: null }, 0)).toBeNull();
    expect(
      duration({ startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T11:02:00Z' }, 0),
    ).toBe('1 h 2 min');
    expect(
      duration(
        { startedAt: '2026-01-01T10:00:00Z', finishedAt: null },
        Date.parse('2026-01-01T10:05:00Z'),
      ),
    ).toBe('5 min');
  });
});
