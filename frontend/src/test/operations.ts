// Fixtures of bulk operations for page tests.
import type { License } from '../api/license';
import type { GroupInfo, OperationView, Preview, UserRow } from '../api/types';
import { baseRoutes, license } from './app';

/** Groups of the organization: two plain ones, one IdP-synced (read-only). */
export const GROUPS: GroupInfo[] = [
  { id: 'g1', name: 'confluence-users', idpSynced: false, modifiable: true, memberCount: 52 },
  { id: 'g-okta', name: 'okta-engineering', idpSynced: true, modifiable: false, memberCount: 12 },
  { id: 'g-staff', name: 'staff', idpSynced: false, modifiable: true, memberCount: 3 },
];

/** An operation: add to staff, then remove Confluence on site-a; `patch` changes any field. */
export function operationView(patch: Partial<OperationView> = {}): OperationView {
  return {
    id: 7,
    state: 'running',
    phase: 'executing',
    progress: { total: 10, done: 4, skipped: 1, failed: 0, pending: 5, inFlight: 2, wouldAct: 0 },
    actions: [
      { type: 'addToGroups', groupIds: ['g-staff'] },
      { type: 'removeAppAccess', targets: [{ siteId: 'site-a', productKey: 'confluence' }] },
    ],
    reason: 'Clean-up',
    requestedBy: 'acc-1',
    createdAt: '2026-01-02T10:00:00Z',
    startedAt: '2026-01-02T10:00:01Z',
    finishedAt: null,
    revertOf: null,
    error: null,
    dryRun: false,
    taskId: null,
    processId: null,
    ...patch,
  };
}

/**
 * The User Browser listing `all` (25 a page) and what the bulk actions modal calls: the
 * preview answers `preview`, starting an operation answers #7 queued; the app's license `lic`.
 */
export function bulkRoutes(all: UserRow[], preview: Preview, lic: License = license()) {
  return {
    ...baseRoutes(),
    'POST /api/v1/users/search': () => ({
      status: 200,
      body: { total: all.length, page: 1, pageSize: 25, items: all.slice(0, 25) },
    }),
    'POST /api/v1/users/select': () => ({
      status: 200,
      body: { total: all.length, accountIds: all.map((u) => u.accountId) },
    }),
    'GET /api/v1/groups': () => ({ status: 200, body: GROUPS }),
    'GET /api/v1/license': () => ({ status: 200, body: lic }),
    'POST /api/v1/operations/preview': () => ({ status: 200, body: preview }),
    'POST /api/v1/operations': () => ({
      status: 202,
      body: operationView({ id: 7, state: 'queued' }),
    }),
    'GET /api/v1/operations/{id}': () => ({
      status: 200,
      body: operationView({ id: 7, state: 'queued' }),
    }),
  };
}
