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

/** The rules inside a media query of styles.css, by its exact condition. */
function media(condition: string): string {
  const styles = sourceFile('styles.css');
  const start = styles.indexOf(`\n@media ${condition} {`);
  expect(start, `no @media ${condition} in styles.css`).toBeGreaterThanOrEqual(0);
  const end = styles.indexOf('\n}', start);
  return styles.slice(start, end);
}

/** The declarations of `selector` inside a media block. */
function ruleIn(block: string, selector: string): string {
  const start = block.indexOf(`\n  ${selector} {`);
  expect(start, `no rule ${selector} in the block`).toBeGreaterThanOrEqual(0);
  return block.slice(start, block.indexOf('}', start));
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

describe('the navigation at each width', () => {
  it('is a 220 px column in a wide frame, never widened by Atlaskit’s own minimum', () => {
    expect(rule('.ow-nav')).toContain('flex: 0 0 220px;');
    expect(rule('.ow-nav > nav')).toContain('min-width: 0;');
  });

  it('narrows to 160 px up to 1024 px, and moves above the page at 640 px and below', () => {
    const styles = sourceFile('styles.css');
    const medium = media('(max-width: 1024px)');
    expect(ruleIn(medium, '.ow-nav')).toContain('flex-basis: 160px;');
    const narrow = media('(max-width: 640px)');
    expect(ruleIn(narrow, '.ow-body')).toContain('flex-direction: column;');
    expect(ruleIn(narrow, '.ow-nav')).toContain('flex-basis: auto;');
    // The narrow rules come later, so they win below 640 px.
    expect(styles.indexOf('@media (max-width: 640px)')).toBeGreaterThan(
      styles.indexOf('@media (max-width: 1024px)'),
    );
  });

  it('wraps long labels rather than cutting them, and marks the current section', async () => {
    installFakeAp();
    installFakeFetch(routes());
    renderApp('?view=tasks');
    const tasks = await screen.findByTestId('nav-tasks');
    await waitFor(() => expect(tasks).toHaveAttribute('aria-current', 'true'));
    expect(tasks).toHaveTextContent('Automated tasks');
    // Atlaskit cuts an item's title with an ellipsis unless told to wrap it (its styles are not
    // applied here, so the source is checked).
    expect(sourceFile('components/Navigation.tsx')).toContain('shouldTitleWrap');
  });
});
