import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserSearchRequest } from '../../api/types';
import { SITE_A, baseRoutes, detail, notSynced, renderApp, urlFilter, users } from '../../test/app';
import { type Recorded, envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const ALL = users(60);

/** A search endpoint over 60 users: sorts by name (either way) and pages. */
function searchRoute(body: unknown) {
  const request = body as UserSearchRequest;
  const size = request.pageSize ?? 25;
  const page = request.page ?? 1;
  const sorted = request.sort?.descending ? [...ALL].reverse() : ALL;
  return {
    status: 200,
    body: {
      total: ALL.length,
      page,
      pageSize: size,
      items: sorted.slice((page - 1) * size, page * size),
    },
  };
}

const searches = (calls: Recorded[]) =>
  calls.filter((c) => c.path === '/api/v1/users/search').map((c) => c.body as UserSearchRequest);

function routes() {
  return {
    ...baseRoutes(),
    'POST /api/v1/users/search': searchRoute,
    'POST /api/v1/users/select': () => ({
      status: 200,
      body: { total: 60, accountIds: ALL.map((u) => u.accountId) },
    }),
    'GET /api/v1/users/{accountId}': (_: unknown, url: URL) => {
      const row = ALL.find((u) => url.pathname.endsWith(`/${u.accountId}`));
      return row
        ? { status: 200, body: detail(row) }
        : { status: 404, body: envelope('not_found', 'No such user.') };
    },
    'GET /api/v1/users/{accountId}/history': () => ({ status: 200, body: [] }),
  };
}

const rowNames = () => screen.getAllByTestId('user-name').map((b) => b.textContent);

describe('User Browser', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('pages on the server: next page, then another page size from page 1', async () => {
    const calls = installFakeFetch(routes());
    renderApp('?view=users');
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(25));
    expect(screen.getByTestId('users-range')).toHaveTextContent('1–25 of 60 users');
    expect(searches(calls).at(-1)).toEqual({
      filter: {},
      sort: { field: 'name', descending: false },
      page: 1,
      pageSize: 25,
    });

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(rowNames()[0]).toBe('User 26'));
    expect(searches(calls).at(-1)).toMatchObject({ page: 2, pageSize: 25 });
    expect(screen.getByTestId('users-range')).toHaveTextContent('26–50 of 60 users');
    expect(new URLSearchParams(window.location.search).get('page')).toBe('2');

    fireEvent.keyDown(screen.getByLabelText('Rows per page'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: '10' }));
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(10));
    expect(searches(calls).at(-1)).toMatchObject({ page: 1, pageSize: 10 });
    expect(screen.getByTestId('users-range')).toHaveTextContent('1–10 of 60 users');
  });

  it('sorts on the server by the clicked column, then the other way', async () => {
    const calls = installFakeFetch(routes());
    renderApp('?view=users&page=2');
    const user = userEvent.setup();
    await waitFor(() => expect(rowNames()[0]).toBe('User 26'));

    await user.click(screen.getByRole('button', { name: /^Email/ }));
    await waitFor(() =>
      expect(searches(calls).at(-1)).toMatchObject({
        sort: { field: 'email', descending: false },
        page: 1,
      }),
    );
    await user.click(screen.getByRole('button', { name: /^Email/ }));
    await waitFor(() =>
      expect(searches(calls).at(-1)).toMatchObject({ sort: { field: 'email', descending: true } }),
    );
    // The table keeps the server's order.
    await waitFor(() => expect(rowNames()[0]).toBe('User 60'));
    expect(rowNames()[1]).toBe('User 59');

    await user.click(screen.getByRole('button', { name: /^Last active/ }));
    await waitFor(() =>
      expect(searches(calls).at(-1)).toMatchObject({
        sort: { field: 'lastActive', descending: false },
      }),
    );
    const query = new URLSearchParams(window.location.search);
    expect(query.get('sort')).toBe('lastActive');
    expect(query.get('desc')).toBeNull();
  });

  it('selects a page, then all N matching through the server', async () => {
    const calls = installFakeFetch(routes());
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify({ statuses: ['active'] }))}`);
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(25));
    expect(screen.getByTestId('selection-count')).toHaveTextContent('0 of 60 users are selected');

    await user.click(screen.getByLabelText('Select all users on this page'));
    expect(screen.getByTestId('selection-count')).toHaveTextContent('25 of 60 users are selected');
    await user.click(screen.getByLabelText('Select User 01'));
    expect(screen.getByTestId('selection-count')).toHaveTextContent('24 of 60 users are selected');

    await user.click(screen.getByTestId('select-all-matching'));
    await waitFor(() =>
      expect(screen.getByTestId('selection-count')).toHaveTextContent(
        '60 of 60 users are selected',
      ),
    );
    expect(calls.find((c) => c.path === '/api/v1/users/select')?.body).toEqual({
      filter: { statuses: ['active'] },
    });
    expect(screen.queryByTestId('select-all-matching')).not.toBeInTheDocument();

    // Another filter, another selection.
    const chip = within(screen.getByTestId('filter-summary')).getByRole('button', {
      name: /Remove filter: Status: Active/,
    });
    await user.click(chip);
    await waitFor(() => expect(urlFilter()).toBeNull());
    await waitFor(() =>
      expect(screen.getByTestId('selection-count')).toHaveTextContent('0 of 60 users are selected'),
    );
  });

  it('reads the filter from the URL and searches as typing pauses', async () => {
    const filter = { products: [{ productKey: 'confluence', siteId: SITE_A }], inactiveDays: 90 };
    const calls = installFakeFetch(routes());
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify(filter))}`);
    const user = userEvent.setup();
    await waitFor(() => expect(searches(calls)).toHaveLength(1));
    expect(searches(calls)[0]?.filter).toEqual(filter);
    await waitFor(() =>
      expect(screen.getByTestId('filter-summary')).toHaveTextContent('Product: Confluence on acme'),
    );
    expect(screen.getByTestId('filter-summary')).toHaveTextContent('Inactive ≥ 3 months');
    expect(
      screen.getByRole('columnheader', { name: /Last active \(filtered\)/ }),
    ).toBeInTheDocument();

    await user.type(screen.getByLabelText('Search users by name or email'), 'user 0');
    await waitFor(() =>
      expect(searches(calls).at(-1)?.filter).toEqual({ ...filter, search: 'user 0' }),
    );
    // One search for the whole word, not one per key.
    expect(searches(calls)).toHaveLength(2);
    expect(urlFilter()).toEqual({ search: 'user 0', inactiveDays: 90, products: filter.products });
  });

  it('applies filter panel choices', async () => {
    const calls = installFakeFetch(routes());
    renderApp('?view=users');
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getByTestId('filter-toggle'));

    fireEvent.keyDown(screen.getByLabelText('Roles'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'Org admin' }));
    await waitFor(() => expect(searches(calls).at(-1)?.filter).toEqual({ roles: ['orgAdmin'] }));

    fireEvent.keyDown(screen.getByLabelText('Inactive for at least'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: 'Never active' }));
    await waitFor(() =>
      expect(searches(calls).at(-1)?.filter).toEqual({ neverActive: true, roles: ['orgAdmin'] }),
    );

    const domains = screen.getByTestId('filter-domains');
    await user.type(domains, '@Acme.com, example.org{Enter}');
    await waitFor(() =>
      expect(searches(calls).at(-1)?.filter).toEqual({
        neverActive: true,
        roles: ['orgAdmin'],
        emailDomains: ['acme.com', 'example.org'],
      }),
    );
    expect(screen.getByTestId('filter-toggle')).toHaveTextContent('Filters (3)');

    await user.click(screen.getByTestId('filter-clear'));
    await waitFor(() => expect(urlFilter()).toBeNull());
    // The unfiltered page is still cached: no new request.
    expect(screen.getByTestId('filter-summary')).toHaveTextContent('All users');
    expect(screen.getByTestId('filter-toggle')).toHaveTextContent(/^Filters$/);
  });

  it('shows a user beside the list and closes with Escape', async () => {
    const calls = installFakeFetch(routes());
    renderApp('?view=users');
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getAllByTestId('user-name')[1]!);
    const panel = await screen.findByTestId('user-detail');
    await waitFor(() => expect(within(panel).getAllByTestId('access-row')).toHaveLength(1));
    expect(panel).toHaveTextContent('User 02');
    expect(within(panel).getByTestId('access-row')).toHaveTextContent('Confluence');
    expect(within(panel).getByTestId('access-row')).toHaveTextContent('via confluence-users');
    expect(
      await within(panel).findByText('No operation has changed this user.'),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'GET' && c.path === '/api/v1/users/acc-02/history')).toBe(
      true,
    );
    expect(calls.some((c) => c.method === 'GET' && c.path === '/api/v1/users/acc-02')).toBe(true);
    expect(new URLSearchParams(window.location.search).get('user')).toBe('acc-02');

    await act(async () => {
      fireEvent.keyDown(panel, { key: 'Escape' });
    });
    await waitFor(() => expect(screen.queryByTestId('user-detail')).not.toBeInTheDocument());
  });

  it('says the first sync is in progress before there is a mirror', async () => {
    installFakeFetch({ ...routes(), 'POST /api/v1/users/search': notSynced });
    renderApp('?view=users');
    expect(await screen.findByTestId('not-synced')).toBeInTheDocument();
  });

  it('names the field the server rejects', async () => {
    installFakeFetch({
      ...routes(),
      'POST /api/v1/users/search': () => ({
        status: 400,
        body: envelope(
          'validation_failed',
          'filter.emailDomains: use bare domains such as example.com',
          { field: 'filter.emailDomains' },
        ),
      }),
    });
    renderApp('?view=users');
    expect(await screen.findByTestId('error-message')).toHaveTextContent(
      'filter.emailDomains: use bare domains',
    );
  });
});
