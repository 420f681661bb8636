// Renders the whole app at a URL, against a fake server, for page tests.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App } from '../App';
import type { License } from '../api/license';
import type { Dashboard, Settings, SyncStatus, UserDetail, UserRow } from '../api/types';
import { envelope } from './fakeServer';

/** An org admin: may use the app and change everything. */
export const ME = {
  tenant: { clientKey: 'ck-1', baseUrl: 'https://acme.atlassian.net' },
  accountId: 'acc-1',
  role: 'admin',
  access: {
    allowed: true,
    as: 'orgAdmin',
    reason: 'You are an organization admin.',
    keyRejected: false,
  },
};

/** `GET /api/v1/me` for the same account with another `access` (a limited caller's `scope`). */
export function meWith(access: {
  allowed: boolean;
  as: string | null;
  reason: string;
  scope?: { siteId: string; productKey?: string }[];
  keyRejected?: boolean;
}) {
  return { ...ME, access: { keyRejected: false, ...access } };
}
/** `GET /api/v1/me` of a product admin allowed to use the app, confined to `scope` if given. */
export function productAdminMe(scope?: { siteId: string; productKey?: string }[]) {
  return meWith({
    allowed: true,
    as: 'productAdmin',
    reason: 'Product admins may use orgwarden.',
    ...(scope ? { scope } : {}),
  });
}
export const KEY_VIEW = {
  orgId: 'org-1',
  orgName: 'Acme Corp',
  maskedKey: 'ATCT…-key',
  expiresAt: '2099-12-31',
};

export const SITE_A = 'site-a';
export const SITE_B = 'site-b';

export function dashboard(inactiveDays = 90, siteId: string | null = null): Dashboard {
  const products = [
    {
      productKey: 'confluence',
      productName: 'Confluence',
      siteId: SITE_A,
      siteName: 'acme',
      active: 40,
      inactive: 12,
      total: 52,
    },
    {
      productKey: 'jira-software',
      productName: 'Jira Software',
      siteId: SITE_A,
      siteName: 'acme',
      active: 30,
      inactive: 5,
      total: 35,
    },
    {
      productKey: 'confluence',
      productName: 'Confluence',
      siteId: SITE_B,
      siteName: 'acme-eng',
      active: 8,
      inactive: 3,
      total: 11,
    },
  ].filter((t) => siteId === null || t.siteId === siteId);
  return { inactiveDays, siteId, syncedAt: '2026-01-01T10:00:00Z', products, currency: 'USD' };
}

/** A Standard license: 2 × 100 billable users, 150 managed (ok unless patched). */
export function license(patch: Partial<License> = {}): License {
  return {
    edition: 'standard',
    multiplier: 2,
    installSiteBillableUsers: 100,
    limit: 200,
    managedUsers: 150,
    usagePercent: 75,
    state: 'ok',
    graceStartedAt: null,
    graceEndsAt: null,
    graceDaysLeft: null,
    mayAct: true,
    message:
      '150 of 200 users managed (75%); Standard edition: 2 × 100 billable users of the installation site.',
    ...patch,
  };
}

export function syncStatus(patch: Partial<SyncStatus> = {}): SyncStatus {
  return {
    id: 1,
    kind: 'initial',
    state: 'succeeded',
    phase: 'done',
    counts: { users: 60, groups: 5, sites: 2 },
    requests: 12,
    mode: 'full',
    rowsWritten: 1200,
    createdAt: '2026-01-01T09:59:00Z',
    startedAt: '2026-01-01T09:59:01Z',
    finishedAt: '2026-01-01T10:00:00Z',
    error: null,
    syncedAt: '2026-01-01T10:00:00Z',
    ...patch,
  };
}

/** `n` users, user-01 … user-NN. */
export function users(n: number): UserRow[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(2, '0');
    return {
      accountId: `acc-${id}`,
      name: `User ${id}`,
      email: `user${id}@acme.com`,
      status: i % 10 === 9 ? 'suspended' : 'active',
      accountType: 'atlassian',
      billable: true,
      sites: [SITE_A],
      products: [
        {
          siteId: SITE_A,
          productKey: 'confluence',
          lastActive: i % 3 === 0 ? null : '2025-10-01T00:00:00Z',
        },
      ],
      groups: [{ id: 'g1', name: 'confluence-users' }],
      roles: i === 0 ? ['orgAdmin'] : [],
      lastActive: i % 3 === 0 ? null : '2025-10-01T00:00:00Z',
      addedToOrg: '2024-01-01T00:00:00Z',
    };
  });
}

export function detail(row: UserRow): UserDetail {
  return {
    ...row,
    access: row.products.map((p) => ({
      siteId: p.siteId,
      productKey: p.productKey,
      lastActive: p.lastActive,
      viaGroups: [{ id: 'g1', name: 'confluence-users', idpSynced: true }],
      direct: false,
    })),
  };
}

/**
 * Distinct billable users per product over every site (the dashboard fixture's sites overlap: 5
 * people hold Confluence on both), as the user search counts them: `[total, inactive]`.
 */
export const PRODUCT_COUNTS: Record<string, [number, number]> = {
  confluence: [58, 14],
  'jira-software': [35, 5],
};

/**
 * `POST /api/v1/users/search` for the dashboard's per-product tiles: a product on every site,
 * billable, optionally inactive; any other filter finds nobody.
 */
export function productSearch(body: unknown) {
  const request = body as {
    filter?: {
      products?: { productKey: string; siteId?: string }[];
      inactiveDays?: number;
      billable?: boolean;
    };
  };
  const filter = request.filter ?? {};
  const product =
    filter.products?.length === 1 && !filter.products[0]!.siteId
      ? filter.products[0]!.productKey
      : null;
  const counts = product !== null && filter.billable === true ? PRODUCT_COUNTS[product] : undefined;
  const total = counts ? (filter.inactiveDays === undefined ? counts[0] : counts[1]) : 0;
  return { status: 200, body: { total, page: 1, pageSize: 10, items: [] } };
}

/** Saved General settings: 90 days, sync at 02:00 Berlin time, Jira Software at 8.60 USD a seat. */
export const SAVED_SETTINGS: Settings = {
  inactiveDays: 90,
  syncHour: 2,
  timeZone: 'Europe/Berlin',
  seatPrices: { 'jira-software': 8.6 },
  currency: 'USD',
};

/** The default access rules: only org admins. */
export const ACCESS_SETTINGS = {
  productAdmins: false,
  userAccessAdmins: false,
  scope: 'organization',
};

/**
 * Routes every page needs: me, a saved key, a finished sync, the dashboard (with its per-product
 * counts); Settings' access rules, (no) tokens and (no) webhooks.
 */
export function baseRoutes() {
  return {
    'GET /api/v1/me': () => ({ status: 200, body: ME }),
    'GET /api/v1/settings/access': () => ({ status: 200, body: ACCESS_SETTINGS }),
    'GET /api/v1/tokens': () => ({ status: 200, body: { items: [] } }),
    'GET /api/v1/webhooks': () => ({ status: 200, body: { items: [] } }),
    'GET /api/v1/settings/api-key': () => ({ status: 200, body: KEY_VIEW }),
    'GET /api/v1/sync': () => ({ status: 200, body: syncStatus() }),
    'GET /api/v1/dashboard': (_: unknown, url: URL) => ({
      status: 200,
      body: dashboard(
        Number(url.searchParams.get('inactiveDays') ?? 90),
        url.searchParams.get('siteId'),
      ),
    }),
    'POST /api/v1/users/search': productSearch,
  };
}

export const notSynced = () => ({
  status: 409,
  body: envelope('not_synced', 'The organization has not been synced yet.'),
});

export function renderApp(search: string) {
  window.history.replaceState(null, '', `/admin${search}`);
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const view = render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
  return { ...view, client };
}

/** The app's current `?filter=` as an object. */
export function urlFilter(): unknown {
  const param = new URLSearchParams(window.location.search).get('filter');
  return param === null ? null : JSON.parse(param);
}
