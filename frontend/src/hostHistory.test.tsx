import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { resetApForTests } from './ap';
import { anchorOf, mayHaveHost } from './hostHistory';
import { installFakeAp, installFakeFetch } from './test/fakeServer';
import { KEY_VIEW, ME, baseRoutes, renderApp } from './test/app';

function fakeServer() {
  installFakeFetch({
    'GET /api/v1/me': () => ({ status: 200, body: ME }),
    'GET /api/v1/settings/api-key': () => ({ status: 200, body: KEY_VIEW }),
  });
}

describe("the app's place in Jira's address", () => {
  it("keeps the route's parameters, not the host's", () => {
    expect(
      anchorOf('?xdm_e=https%3A%2F%2Facme.atlassian.net&jwt=x&view=audit&kind=sync.failed'),
    ).toBe('view=audit&kind=sync.failed');
    expect(anchorOf('?xdm_e=x')).toBe('');
  });

  it('comes back to the place the anchor kept when Jira reloads the page', async () => {
    const ap = installFakeAp('view=audit&kind=settings.updated');
    fakeServer();
    renderApp('?xdm_e=https%3A%2F%2Facme.atlassian.net');
    await waitFor(() =>
      expect(screen.getByTestId('nav-audit')).toHaveAttribute('aria-current', 'true'),
    );
    const query = new URLSearchParams(window.location.search);
    expect([query.get('view'), query.get('kind'), query.get('xdm_e')]).toEqual([
      'audit',
      'settings.updated',
      'https://acme.atlassian.net',
    ]);
    expect(ap.anchor()).toBe('view=audit&kind=settings.updated');
  });

  it('writes each navigation into the anchor, and a link into the iframe wins over it', async () => {
    const ap = installFakeAp('view=audit');
    fakeServer();
    renderApp('?xdm_e=x&view=users');
    await waitFor(() => expect(ap.anchor()).toBe('view=users'));
    expect(screen.getByTestId('nav-users')).toHaveAttribute('aria-current', 'true');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('nav-operations'));
    await waitFor(() => expect(ap.anchor()).toBe('view=operations'));
    expect(screen.getByTestId('nav-operations')).toHaveAttribute('aria-current', 'true');
  });
});

/**
 * A host that has not answered yet where the app was: `answer` gives its anchor, `giveUp` runs
 * the app's 2 s limit at once (held back until then, so a slow test machine cannot reach it).
 */
function slowHost() {
  const ap = installFakeAp();
  let reply: ((state: string) => void) | undefined;
  ap.history!.getState = (_type, callback) => {
    reply = callback;
  };
  const realSetTimeout = globalThis.setTimeout;
  let limit: (() => void) | undefined;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    handler: () => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    if (ms !== 2_000) return realSetTimeout(handler, ms, ...args);
    limit = handler;
    return 0;
  }) as typeof setTimeout);
  return {
    answer: async (state: string) => {
      await waitFor(() => expect(reply).toBeDefined());
      act(() => reply?.(state));
    },
    giveUp: async () => {
      await waitFor(() => expect(limit).toBeDefined());
      act(() => limit?.());
    },
  };
}

describe('a reload inside Jira', () => {
  const routes = () => ({
    ...baseRoutes(),
    'GET /api/v1/audit': () => ({ status: 200, body: { items: [], nextCursor: null } }),
    'GET /api/v1/operations': () => ({
      status: 200,
      body: { total: 0, page: 1, pageSize: 25, items: [] },
    }),
  });
  const asked = (calls: { path: string }[], path: string) => calls.some((c) => c.path === path);
  const current = () =>
    screen
      .getAllByTestId(/^nav-/)
      .filter((item) => item.getAttribute('aria-current') === 'true')
      .map((item) => item.dataset.testid);

  it('opens on a spinner, not the dashboard, until Jira says where the app was', async () => {
    const host = slowHost();
    const calls = installFakeFetch(routes());
    renderApp('?xdm_e=https%3A%2F%2Facme.atlassian.net');
    expect(await screen.findByRole('img', { name: 'Opening…' })).toBeInTheDocument();
    expect(current()).toEqual([]);
    await host.answer('!view=audit&kind=sync.failed');
    await waitFor(() => expect(current()).toEqual(['nav-audit']));
    expect(screen.queryByRole('img', { name: 'Opening…' })).not.toBeInTheDocument();
    expect(new URLSearchParams(window.location.search).get('kind')).toBe('sync.failed');
    expect(asked(calls, '/api/v1/dashboard')).toBe(false);
  });

  it('lets the admin go elsewhere meanwhile, and keeps them there', async () => {
    const host = slowHost();
    installFakeFetch(routes());
    renderApp('?xdm_e=x');
    await screen.findByRole('img', { name: 'Opening…' });
    await userEvent.setup().click(await screen.findByTestId('nav-operations'));
    expect(await screen.findByTestId('operations')).toBeInTheDocument();
    await host.answer('view=audit');
    await host.giveUp();
    expect(current()).toEqual(['nav-operations']);
    expect(new URLSearchParams(window.location.search).get('view')).toBe('operations');
    expect(screen.queryByTestId('dashboard')).not.toBeInTheDocument();
  });

  it('shows the dashboard when Jira has not answered within 2 s', async () => {
    const host = slowHost();
    installFakeFetch(routes());
    renderApp('?xdm_e=x');
    await screen.findByRole('img', { name: 'Opening…' });
    await host.giveUp();
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    expect(current()).toEqual(['nav-dashboard']);
  });

  it('waits for nothing without a host', () => {
    const ap = window.AP;
    delete window.AP;
    resetApForTests();
    try {
      expect(mayHaveHost('')).toBe(false);
      expect(mayHaveHost('?view=users')).toBe(false);
      expect(mayHaveHost('?xdm_e=https%3A%2F%2Facme.atlassian.net')).toBe(true);
    } finally {
      window.AP = ap;
    }
    expect(mayHaveHost('')).toBe(window.AP !== undefined);
  });
});
