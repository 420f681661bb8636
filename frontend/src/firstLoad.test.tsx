// The first screen asks only what can succeed: no request the app already knows would fail.
import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, license, meWith, renderApp, syncStatus } from './test/app';
import { installFakeAp, installFakeFetch } from './test/fakeServer';

type Handler = (body: unknown, url: URL) => { status: number; body?: unknown };

/** The routes, each answer's status recorded (a request no route answers is a 404 and missing here). */
function recording(routes: Record<string, Handler>) {
  const answers: { route: string; status: number }[] = [];
  const wrapped: Record<string, Handler> = {};
  for (const [route, handler] of Object.entries(routes)) {
    wrapped[route] = (body, url) => {
      const answer = handler(body, url);
      answers.push({ route, status: answer.status });
      return answer;
    };
  }
  return { routes: wrapped, answers };
}

/** Every request was answered by a route, none with an error status. */
function expectClean(
  calls: { method: string; path: string }[],
  answers: { route: string; status: number }[],
) {
  expect(answers.filter((a) => a.status >= 400)).toEqual([]);
  expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(answers.map((a) => a.route));
}

/** What the server answers on every page besides the base routes. */
function pageRoutes(): Record<string, Handler> {
  return {
    ...baseRoutes(),
    'GET /api/v1/license': () => ({ status: 200, body: license() }),
    'GET /api/v1/dashboard/history': () => ({ status: 200, body: { points: [] } }),
    'GET /api/v1/filters': () => ({ status: 200, body: [] }),
  };
}

const MIRROR_READS = [
  '/api/v1/dashboard',
  '/api/v1/dashboard/history',
  '/api/v1/users/search',
  '/api/v1/groups',
];

describe('A clean first load', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('setup by a Jira admin: only /me, whose answer says no key is saved yet', async () => {
    const { routes, answers } = recording({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({
        status: 200,
        body: meWith({ allowed: true, as: 'jiraAdmin', reason: 'Setup' }),
      }),
    });
    const calls = installFakeFetch(routes);
    renderApp('');
    expect(await screen.findByTestId('api-key-input')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me']);
    expectClean(calls, answers);
  });

  it('a rejected key: only /me, and the key form under a banner that says why', async () => {
    const { routes, answers } = recording({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({
        status: 200,
        body: meWith({
          allowed: true,
          as: 'orgAdmin',
          reason: 'Atlassian does not accept the saved Organization API key',
          keyRejected: true,
        }),
      }),
    });
    const calls = installFakeFetch(routes);
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('key-rejected-banner')).toHaveTextContent(
      'Atlassian no longer accepts the saved Organization API key',
    );
    expect(await screen.findByTestId('api-key-input')).toBeInTheDocument();
    expect(screen.queryByTestId('bootstrap-banner')).toBeNull();
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me']);
    expect(window.location.search).toContain('view=settings');
    expectClean(calls, answers);
  });

  it('during the first sync: no mirror read (they would answer 409), the sync shown instead, then the dashboard', async () => {
    let done = false;
    const { routes, answers } = recording({
      ...pageRoutes(),
      'GET /api/v1/sync': () => ({
        status: 200,
        body: done
          ? syncStatus({ syncedAt: new Date().toISOString() })
          : syncStatus({
              state: 'running',
              phase: 'users and groups',
              syncedAt: null,
              finishedAt: null,
            }),
      }),
    });
    const calls = installFakeFetch(routes);
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('not-synced')).toHaveTextContent(
      'The first sync is in progress',
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(calls.filter((c) => MIRROR_READS.includes(c.path))).toEqual([]);
    expectClean(calls, answers);

    done = true;
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(3), {
      timeout: 5000,
    });
    expect(await screen.findAllByTestId('product-tile')).toHaveLength(2);
    expectClean(calls, answers);
  });

  it('the User Browser during the first sync: no search, no groups', async () => {
    const { routes, answers } = recording({
      ...pageRoutes(),
      'GET /api/v1/sync': () => ({
        status: 200,
        body: syncStatus({
          state: 'queued',
          phase: 'queued',
          syncedAt: null,
          startedAt: null,
          finishedAt: null,
        }),
      }),
    });
    const calls = installFakeFetch(routes);
    renderApp('?view=users');
    expect(await screen.findByTestId('not-synced')).toBeInTheDocument();
    await new Promise((r) => setTimeout(r, 200));
    expect(calls.filter((c) => MIRROR_READS.includes(c.path))).toEqual([]);
    expectClean(calls, answers);
  });

  it('the first sync failed: says so with its error, still without mirror reads', async () => {
    const { routes, answers } = recording({
      ...pageRoutes(),
      'GET /api/v1/sync': () => ({
        status: 200,
        body: syncStatus({
          state: 'failed',
          syncedAt: null,
          error: 'The Admin API refused the key.',
        }),
      }),
    });
    const calls = installFakeFetch(routes);
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('not-synced')).toHaveTextContent(
      'The Admin API refused the key.',
    );
    expect(calls.filter((c) => MIRROR_READS.includes(c.path))).toEqual([]);
    expectClean(calls, answers);
  });

  it('a synced organization: every request of the dashboard succeeds', async () => {
    const { routes, answers } = recording(pageRoutes());
    const calls = installFakeFetch(routes);
    renderApp('');
    expect(await screen.findAllByTestId('product-tile')).toHaveLength(2);
    await waitFor(() => expect(screen.getByTestId('license-edition')).toBeInTheDocument());
    await new Promise((r) => setTimeout(r, 100));
    expectClean(calls, answers);
    // The sync state is read once, however many parts of the page wait for it.
    expect(calls.filter((c) => c.path === '/api/v1/sync')).toHaveLength(1);
  });
});
