// Fixtures of automated tasks for page tests.
import type { StepsPage, Task, TaskRun, TaskRunDetail } from '../api/types';
import { baseRoutes, license } from './app';
import { GROUPS } from './operations';

export const PROCESS_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

/** A finished dry run of task 3. */
export function taskRun(patch: Partial<TaskRun> = {}): TaskRun {
  return {
    processId: PROCESS_ID,
    operationId: 41,
    state: 'succeeded',
    dryRun: true,
    late: false,
    startedAt: '2026-01-05T09:00:00Z',
    finishedAt: '2026-01-05T09:01:00Z',
    counts: { total: 3, done: 0, skipped: 1, failed: 0, wouldAct: 2 },
    ...patch,
  };
}

/** Task 3: suspend the users of saved filter 5 every Monday and Friday at 09:00, Berlin time. */
export function task(patch: Partial<Task> = {}): Task {
  return {
    id: 3,
    name: 'Suspend inactive',
    savedFilterId: 5,
    actions: [{ type: 'suspend' }],
    reason: 'License hygiene',
    schedule: { kind: 'weekly', weekdays: ['fri', 'mon'], time: '09:00' },
    active: true,
    timeZone: 'Europe/Berlin',
    dryRunOnly: false,
    createdAt: '2026-01-01T10:00:00Z',
    createdBy: 'acc-1',
    updatedAt: '2026-01-02T10:00:00Z',
    updatedBy: 'acc-9',
    nextRunAt: '2099-01-05T08:00:00Z',
    actingAdmin: 'acc-9',
    lastRun: taskRun(),
    inactiveReason: null,
    ...patch,
  };
}

/** The run without its steps, as its page asks for it (`results=false`). */
export function runDetail(patch: Partial<TaskRunDetail> = {}): TaskRunDetail {
  return { ...taskRun(), taskId: 3, ...patch };
}

/** The run's steps, as `GET /api/v1/operations/{id}/steps` answers: one would-act step, one skip. */
export function runSteps(): StepsPage {
  return {
    nextCursor: null,
    items: [
      {
        accountId: 'acc-02',
        name: 'Ada Lovelace',
        email: 'ada@acme.com',
        action: 'suspend',
        actionIndex: 0,
        op: 'suspend',
        outcome: 'wouldAct',
        reason: 'would suspend',
        attempts: 0,
        updatedAt: '2026-01-05T09:01:00Z',
      },
      {
        accountId: 'acc-01',
        name: 'Org Admin',
        action: 'suspend',
        actionIndex: 0,
        op: 'suspend',
        outcome: 'skip',
        reason: 'organization admin',
        attempts: 0,
        updatedAt: '2026-01-05T09:01:00Z',
      },
    ],
  };
}

/** Saved filters: inactive Confluence users, and everyone. */
export const SAVED_FILTERS = [
  {
    id: 5,
    name: 'Inactive on Confluence',
    filter: { inactiveDays: 90 },
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'acc-1',
    updatedAt: '2026-01-01T00:00:00Z',
    updatedBy: 'acc-1',
  },
  {
    id: 6,
    name: 'Everyone',
    filter: {},
    createdAt: '2026-01-01T00:00:00Z',
    createdBy: 'acc-1',
    updatedAt: '2026-01-01T00:00:00Z',
    updatedBy: 'acc-1',
  },
];

/** The tenant's settings: daily sync at 03:00, Berlin time. */
export const SETTINGS = {
  inactiveDays: 90,
  syncHour: 3,
  timeZone: 'Europe/Berlin',
  seatPrices: {},
};

/** Routes every task page needs besides the tasks' own: groups, license, settings, saved filters. */
export function taskPageRoutes() {
  return {
    ...baseRoutes(),
    'GET /api/v1/groups': () => ({ status: 200, body: GROUPS }),
    'GET /api/v1/license': () => ({ status: 200, body: license() }),
    'GET /api/v1/settings': () => ({ status: 200, body: SETTINGS }),
    'GET /api/v1/filters': () => ({ status: 200, body: SAVED_FILTERS }),
    'GET /api/v1/operations/{id}/steps': () => ({ status: 200, body: runSteps() }),
  };
}
