// Fixtures of bulk operations for page tests.
import type { GroupInfo, OperationView } from '../api/types';

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
