import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserSearchRequest } from '../../api/types';
import { SITE_A, baseRoutes, renderApp, urlFilter } from '../../test/app';
import { type Recorded, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const counts = (calls: Recorded[]) =>
  calls.filter((c) => c.path === '/api/v1/users/search').map((c) => c.body as UserSearchRequest);

describe('Dashboard: one tile per product over all sites', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('leads with one tile per product, each person counted once, then the per-site tiles', async () => {
    const calls = installFakeFetch(baseRoutes());
    renderApp('?view=dashboard');
    const section = await screen.findByTestId('product-tiles');
    const tiles = await within(section).findAllByTestId('product-tile');
    expect(tiles.map((t) => t.getAttribute('data-product-key'))).toEqual([
      'confluence',
      'jira-software',
    ]);

    // Confluence: 52 on acme + 11 on acme-eng per site, but 58 distinct people (5 hold it on both).
    const confluence = tiles[0]!;
    expect(within(confluence).getByTestId('tile-total')).toHaveTextContent('58');
    expect(within(confluence).getByTestId('tile-inactive')).toHaveTextContent('14');
    expect(within(confluence).getByTestId('tile-active')).toHaveTextContent('44');
    expect(within(confluence).getByTestId('tile-sites')).toHaveTextContent(
      'All sites · on 2 sites',
    );
    expect(confluence).toHaveAccessibleName(
      /Confluence, all sites \(on 2 sites\): 14 of 58 billable people inactive for 3 months or more; each person counts once/,
    );
    const jira = tiles[1]!;
    expect(within(jira).getByTestId('tile-total')).toHaveTextContent('35');
    expect(within(jira).getByTestId('tile-sites')).toHaveTextContent('on acme');
    expect(screen.getByTestId('product-tiles-help')).toHaveTextContent(
      'a person who holds Confluence on two sites counts once',
    );

    // Counted with the user search (distinct users): billable holders on any site, and the inactive ones.
    expect(counts(calls)).toEqual(
      expect.arrayContaining([
        {
          filter: { products: [{ productKey: 'confluence' }], billable: true },
          page: 1,
          pageSize: 10,
        },
        {
          filter: { products: [{ productKey: 'confluence' }], inactiveDays: 90, billable: true },
          page: 1,
          pageSize: 10,
        },
        {
          filter: { products: [{ productKey: 'jira-software' }], billable: true },
          page: 1,
          pageSize: 10,
        },
        {
          filter: { products: [{ productKey: 'jira-software' }], inactiveDays: 90, billable: true },
          page: 1,
          pageSize: 10,
        },
      ]),
    );
    expect(counts(calls)).toHaveLength(4);
    // The per-site breakdown stays below.
    expect(screen.getAllByTestId('dashboard-site')).toHaveLength(2);
    expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(3);
  });

  it('follows the threshold, and a product tile opens the users it counts', async () => {
    const calls = installFakeFetch(baseRoutes());
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    await screen.findAllByTestId('product-tile');
    fireEvent.keyDown(screen.getByLabelText('Inactive for at least'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: '1 month' }));
    await waitFor(() =>
      expect(counts(calls)).toContainEqual({
        filter: { products: [{ productKey: 'confluence' }], inactiveDays: 30, billable: true },
        page: 1,
        pageSize: 10,
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByTestId('product-tile')[0]).toHaveAccessibleName(
        /inactive for 1 month or more/,
      ),
    );
    await user.click(screen.getAllByTestId('product-tile')[0]!);
    expect(await screen.findByTestId('users')).toBeInTheDocument();
    expect(urlFilter()).toEqual({
      inactiveDays: 30,
      products: [{ productKey: 'confluence' }],
      billable: true,
    });
    await waitFor(() =>
      expect(screen.getByTestId('filter-summary')).toHaveTextContent(
        'Product: Confluence (every site)',
      ),
    );
  });

  it('shows no product tiles for one site', async () => {
    const calls = installFakeFetch(baseRoutes());
    renderApp(`?view=dashboard&site=${SITE_A}`);
    await waitFor(() => expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(2));
    expect(screen.queryByTestId('product-tiles')).not.toBeInTheDocument();
    expect(counts(calls)).toHaveLength(0);
  });

  it('says when the products cannot be counted', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'POST /api/v1/users/search': () => ({
        status: 500,
        body: { error: { code: 'internal', message: 'Something broke.' } },
      }),
    });
    renderApp('?view=dashboard');
    const section = await screen.findByTestId('product-tiles');
    expect(
      await within(section).findByText('The products could not be counted'),
    ).toBeInTheDocument();
    // The per-site tiles still show.
    expect(screen.getAllByTestId('dashboard-tile')).toHaveLength(3);
  });
});
