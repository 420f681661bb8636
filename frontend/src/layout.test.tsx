// What keeps a narrow frame (Jira's iframe, ~600 px) from scrolling sideways. jsdom lays nothing
// out: the pages are checked for their structure, styles.css for the rules that structure needs.
import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, renderApp, syncStatus, users } from './test/app';
import { installFakeAp, installFakeFetch } from './test/fakeServer';
import { operationView } from './test/operations';
import { task } from './test/tasks';
import { webhookView } from './test/webhooks';
import { sourceFile } from './test/sourceFile';

/** The declarations of a rule of a stylesheet under src/, by its exact selector. */
function rule(selector: string, stylesheet = 'styles.css'): string {
  const styles = sourceFile(stylesheet);
  const start = styles.indexOf(`\n${selector} {`);
  expect(start, `no rule ${selector} in ${stylesheet}`).toBeGreaterThanOrEqual(0);
  return styles.slice(start, styles.indexOf('}', start));
}

const AT = '2026-01-01T09:00:00Z';

function routes() {
  return {
    ...baseRoutes(),
    'POST /api/v1/users/search': () => ({
      status: 200,
      body: { total: 3, page: 1, pageSize: 25, items: users(3) },
    }),
    'GET /api/v1/operations': () => ({
      status: 200,
      body: { total: 1, page: 1, pageSize: 25, items: [operationView()] },
    }),
    'GET /api/v1/tasks': () => ({ status: 200, body: { items: [task()] } }),
    'GET /api/v1/audit': () => ({ status: 200, body: { items: [], nextCursor: null } }),
    'GET /api/v1/sync/runs': () => ({ status: 200, body: [syncStatus()] }),
    'GET /api/v1/webhooks': () => ({ status: 200, body: { items: [webhookView()] } }),
    'GET /api/v1/tokens': () => ({
      status: 200,
      body: {
        items: [
          {
            id: 7,
            name: 'Nightly export',
            prefix: 'owt_a1b2',
            scopes: ['read'],
            expiresAt: null,
            createdAt: AT,
            createdBy: { accountId: 'acc-1', name: 'Ada Admin' },
            lastUsedAt: null,
          },
        ],
      },
    }),
    'GET /api/v1/settings/exemptions': () => ({
      status: 200,
      body: [
        {
          kind: 'user',
          id: 'acc-svc',
          name: 'Build Bot',
          note: '',
          createdBy: 'acc-1',
          createdAt: AT,
        },
      ],
    }),
  };
}

describe('narrow frames', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it.each([
    ['users', 1],
    ['operations', 1],
    ['tasks', 1],
    ['settings', 4],
  ])('keeps every table of %s in a box of its own that scrolls sideways', async (view, tables) => {
    installFakeFetch(routes());
    renderApp(`?view=${view}`);
    await waitFor(() => expect(screen.getAllByRole('table').length).toBeGreaterThanOrEqual(tables));
    for (const table of screen.getAllByRole('table'))
      expect(table.closest('.ow-table-scroll, .ow-scroll-x')).not.toBeNull();
  });

  it('holds a scrolling table’s absolutely placed parts inside its box', () => {
    // Visually hidden column labels are absolutely placed: with an unpositioned box they
    // escaped its clipping and widened the whole page.
    for (const box of ['.ow-table-scroll', '.ow-scroll-x']) {
      expect(rule(box)).toContain('position: relative;');
      expect(rule(box)).toContain('overflow-x: auto;');
    }
  });

  it('wraps the header instead of squeezing it, and breaks words longer than the page', () => {
    expect(rule('.ow-header')).toContain('flex-wrap: wrap;');
    expect(rule('.ow-header-end')).toContain('flex-wrap: wrap;');
    expect(rule('.ow-main')).toContain('overflow-wrap: break-word;');
    expect(rule('.ow-main :is(h1, h2, h3)')).toContain('min-width: 0;');
    expect(rule('.ow-facts')).toContain('minmax(0, 1fr)');
    expect(rule('.ow-saved-applied', 'pages/users/UsersActions.css')).toContain('flex-wrap: wrap;');
  });
});
