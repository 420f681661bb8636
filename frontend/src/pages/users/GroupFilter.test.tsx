import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GroupInfo, SavedFilter, SavedFilterInput, UserSearchRequest } from '../../api/types';
import { baseRoutes, renderApp, urlFilter, users } from '../../test/app';
import { type Recorded, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const ALL = users(30);

const GROUPS: GroupInfo[] = [
  {
    id: 'g-eng',
    name: 'engineering',
    idpSynced: true,
    modifiable: false,
    memberCount: 42,
    managedBy: 'external',
    description: null,
  },
  {
    id: 'g-conf',
    name: 'confluence-users',
    idpSynced: false,
    modifiable: true,
    memberCount: 1,
    managedBy: 'admins',
    description: null,
  },
  {
    id: 'g-sales',
    name: 'sales',
    idpSynced: false,
    modifiable: true,
    memberCount: 7,
    managedBy: 'admins',
    description: null,
  },
];

function routes() {
  let store: SavedFilter[] = [];
  return {
    ...baseRoutes(),
    'GET /api/v1/groups': () => ({ status: 200, body: GROUPS }),
    'POST /api/v1/users/search': (body: unknown) => {
      const request = body as UserSearchRequest;
      // Members of sales: the first 7 users.
      const inSales = request.filter?.groups?.includes('g-sales');
      const items = inSales ? ALL.slice(0, 7) : ALL;
      return {
        status: 200,
        body: {
          total: items.length,
          page: 1,
          pageSize: request.pageSize ?? 25,
          items: items.slice(0, request.pageSize ?? 25),
        },
      };
    },
    'GET /api/v1/filters': () => ({ status: 200, body: store }),
    'POST /api/v1/filters': (body: unknown) => {
      const input = body as SavedFilterInput;
      const at = '2026-01-01T10:00:00Z';
      const created: SavedFilter = {
        id: 10,
        name: input.name ?? '',
        filter: input.filter ?? {},
        createdBy: 'acc-1',
        createdAt: at,
        updatedBy: 'acc-1',
        updatedAt: at,
      };
      store = [...store, created];
      return { status: 201, body: created };
    },
  };
}

const searches = (calls: Recorded[]) =>
  calls
    .filter((c) => c.path === '/api/v1/users/search' && (c.body as UserSearchRequest).sort)
    .map((c) => c.body as UserSearchRequest);

describe('User Browser: groups filter', () => {
  beforeEach(() => {
    installFakeAp();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('offers every group by name, with member counts and an IdP-managed badge, searchable by name', async () => {
    installFakeFetch(routes());
    renderApp('?view=users');
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getByTestId('filter-toggle'));
    const input = await screen.findByLabelText('Groups');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    const options = await screen.findAllByTestId('group-option');
    // By name, whatever order the server sent.
    expect(options.map((o) => o.getAttribute('data-group-id'))).toEqual([
      'g-conf',
      'g-eng',
      'g-sales',
    ]);
    expect(options[0]).toHaveTextContent('confluence-users · 1 member');
    expect(options[1]).toHaveTextContent('engineering · 42 members');
    expect(options[1]).toHaveTextContent('IdP-managed');
    expect(options[2]).not.toHaveTextContent('IdP-managed');

    await user.type(input, 'SAL');
    await waitFor(() =>
      expect(
        screen.getAllByTestId('group-option').map((o) => o.getAttribute('data-group-id')),
      ).toEqual(['g-sales']),
    );
    // Ids are not names: typing one finds nothing.
    await user.clear(input);
    await user.type(input, 'g-eng');
    expect(await screen.findByText('No group named “g-eng”')).toBeInTheDocument();
  });

  it('filters by a chosen group, combined with other criteria, with a chip naming the group', async () => {
    const calls = installFakeFetch(routes());
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify({ statuses: ['active'] }))}`);
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getByTestId('filter-toggle'));
    const input = await screen.findByLabelText('Groups');
    await user.type(input, 'sales');
    await user.keyboard('{Enter}');

    await waitFor(() => expect(urlFilter()).toEqual({ groups: ['g-sales'], statuses: ['active'] }));
    await waitFor(() =>
      expect(searches(calls).at(-1)?.filter).toEqual({ groups: ['g-sales'], statuses: ['active'] }),
    );
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(7));
    const chips = screen.getAllByTestId('filter-chip').map((c) => c.textContent);
    expect(chips).toContain('Group: sales');
    expect(chips).toContain('Status: Active');
    expect(screen.getByTestId('filter-toggle')).toHaveTextContent('Filters (2)');

    // The chip removes only the group.
    await user.click(
      within(screen.getByTestId('filter-summary')).getByRole('button', {
        name: /Remove filter: Group: sales/,
      }),
    );
    await waitFor(() => expect(urlFilter()).toEqual({ statuses: ['active'] }));
  });

  it('names the groups of a filter that came from a URL; an unknown group stays as its id', async () => {
    installFakeFetch(routes());
    renderApp(
      `?view=users&filter=${encodeURIComponent(JSON.stringify({ groups: ['g-eng', 'g-gone'] }))}`,
    );
    await screen.findAllByTestId('user-row');
    await waitFor(() =>
      expect(screen.getByTestId('filter-summary')).toHaveTextContent('Group: engineering'),
    );
    expect(screen.getByTestId('filter-summary')).toHaveTextContent('Group: g-gone');
  });

  it('keeps the group in a saved filter', async () => {
    const calls = installFakeFetch(routes());
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify({ groups: ['g-sales'] }))}`);
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getByTestId('save-filter'));
    const modal = await screen.findByTestId('save-filter-modal');
    await user.type(within(modal).getByTestId('filter-name-input'), 'Sales');
    await user.click(within(modal).getByTestId('save-filter-new'));
    await waitFor(() => expect(screen.getByTestId('saved-filter-name')).toHaveTextContent('Sales'));
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/filters')?.body).toEqual({
      name: 'Sales',
      filter: { groups: ['g-sales'] },
    });
  });
});
