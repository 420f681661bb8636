import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SITE_A,
  SITE_B,
  baseRoutes,
  notSynced,
  renderApp,
  syncStatus,
  urlFilter,
  users,
} from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';

describe('Dashboard', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('is the landing page once a key is saved, with tiles grouped by site', async () => {
    installFakeFetch(baseRoutes());
    renderApp('');
    const sites = await screen.findAllByTestId('dashboard-site');
    expect(sites.map((s) => within(s).getByRole('heading').textContent)).toEqual([
      'acme',
      'acme-eng',
    ]);
    expect(within(sites[0]!).getAllByTestId('dashboard-tile')).toHaveLength(2);
    const tile = within(sites[0]!).getAllByTestId('dashboard-tile')[0]!;
    expect(tile).toHaveTextContent('Confluence');
    expect(within(tile).getByTestId('tile-inactive')).toHaveTextContent('12');
    expect(within(tile).getByTestId('tile-active')).toHaveTextContent('40');
    expect(within(tile).getByTestId('tile-total')).toHaveTextContent('52');
    expect(screen.getByTestId('nav-dashboard')).toBeInTheDocument();
    expect(screen.getByTestId('nav-users')).toBeInTheDocument();
  });

  it('opens the user browser filtered to the clicked tile: product, site and threshold', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'POST /api/v1/users/search': () => ({
        status: 200,
        body: { total: 3, page: 1, pageSize: 25, items: users(3) },
      }),
    });
    renderApp('?view=dashboard&days=30');
    const user = userEvent.setup();
    const tiles = await screen.findAllByTestId('dashboard-tile');
    const eng = tiles.find((t) => t.getAttribute('data-site-id') === SITE_B)!;
    await user.click(eng);

    expect(await screen.findByTestId('users')).toBeInTheDocument();
    const filter = { products: [{ productKey: 'confluence', siteId: SITE_B }], inactiveDays: 30 };
    expect(urlFilter()).toEqual(filter);
    expect(new URLSearchParams(window.location.search).get('view')).toBe('users');
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/users/search')).toBe(true));
    await waitFor(() =>
      expect(
        calls.some((c) => c.path === '/api/v1/users/search' && (c.body as { sort?: unknown }).sort),
      ).toBe(true),
    );
    const search = calls.find(
      (c) => c.path === '/api/v1/users/search' && (c.body as { sort?: unknown }).sort,
    );
    expect(search?.body).toEqual({
      filter,
      sort: { field: 'name', descending: false },
      page: 1,
      pageSize: 25,
    });
    const summary = screen.getByTestId('filter-summary');
    expect(summary).toHaveTextContent('Product: Confluence on acme-eng');
    expect(summary).toHaveTextContent('Inactive ≥ 1 month');
    expect(await screen.findAllByTestId('user-row')).toHaveLength(3);
  });

  it('asks the server for the chosen threshold and site', async () => {
    const calls = installFakeFetch(baseRoutes());
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    await screen.findAllByTestId('dashboard-tile');
    expect(calls.find((c) => c.path === '/api/v1/dashboard')?.query).toBe('');

    fireEvent.keyDown(screen.getByLabelText('Inactive for at least'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: '14 days' }));
    await waitFor(() => expect(calls.some((c) => c.query === '?inactiveDays=14')).toBe(true));
    expect(new URLSearchParams(window.location.search).get('days')).toBe('14');

    fireEvent.keyDown(screen.getByLabelText('Site'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'acme' }));
    await waitFor(() =>
      expect(calls.some((c) => c.query === `?inactiveDays=14&siteId=${SITE_A}`)).toBe(true),
    );
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(2));
    expect(screen.queryByTestId('dashboard-site')).not.toBeInTheDocument();
  });

  it('keeps the chosen site when the admin goes elsewhere and comes back, and over a reload', async () => {
    const calls = installFakeFetch(baseRoutes());
    const { unmount } = renderApp('?view=dashboard');
    const user = userEvent.setup();
    await screen.findAllByTestId('dashboard-tile');
    fireEvent.keyDown(screen.getByLabelText('Site'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'acme-eng' }));
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(1));

    await user.click(screen.getByTestId('nav-audit'));
    await screen.findByTestId('audit');
    expect(new URLSearchParams(window.location.search).get('site')).toBe(SITE_B);
    await user.click(screen.getByTestId('nav-dashboard'));
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(1));
    expect(screen.getByTestId('dashboard-site-select--container')).toHaveTextContent('acme-eng');

    const search = window.location.search;
    unmount();
    calls.length = 0;
    renderApp(search);
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(1));
    expect(screen.getByTestId('dashboard-site-select--container')).toHaveTextContent('acme-eng');
    expect(
      calls.some((c) => c.path === '/api/v1/dashboard' && c.query === `?siteId=${SITE_B}`),
    ).toBe(true);

    // "All sites" is a choice too: it stays chosen.
    fireEvent.keyDown(screen.getByLabelText('Site'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'All sites' }));
    await user.click(screen.getByTestId('nav-users'));
    await user.click(await screen.findByTestId('nav-dashboard'));
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(3));
    expect(new URLSearchParams(window.location.search).get('site')).toBeNull();
  });

  it('takes a custom number of days', async () => {
    const calls = installFakeFetch(baseRoutes());
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    await screen.findAllByTestId('dashboard-tile');
    fireEvent.keyDown(screen.getByLabelText('Inactive for at least'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'Custom number of days…' }));
    const days = await screen.findByLabelText('Days');
    await user.clear(days);
    await user.type(days, '45{Enter}');
    await waitFor(() => expect(calls.some((c) => c.query === '?inactiveDays=45')).toBe(true));
  });

  it('says the first sync is in progress until the mirror exists', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/sync': () => ({
        status: 200,
        body: syncStatus({ state: 'running', phase: 'users', syncedAt: null }),
      }),
      'GET /api/v1/dashboard': notSynced,
    });
    renderApp('?view=dashboard');
    expect(await screen.findByTestId('not-synced')).toHaveTextContent(
      'The first sync is in progress',
    );
  });
});
