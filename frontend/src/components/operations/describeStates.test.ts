import { describe, expect, it } from 'vitest';
import { statusLabel } from '../../filter';
import { EVENT_LABELS } from '../../pages/settings/webhooks/events';
import { sourceFile } from '../../test/sourceFile';
import {
  DELIVERY_STATES,
  LICENSE_STATES,
  OPERATION_STATES,
  PREVIEW_OUTCOMES,
  STEP_OUTCOMES,
  SYNC_KINDS,
  SYNC_MODES,
  SYNC_STATES,
  type StateWords,
  TASK_RUN_STATES,
  humanize,
  operationPhase,
  stateWords,
  syncPhase,
} from './describeStates';

/**
 * The values of a string union of the API's types (`RunState: "queued" | …;` in the generated
 * schema.d.ts). The UI derives its types from `paths`; this test reads the unions by their
 * component names so that a state the OpenAPI document adds fails here until it has words.
 */
function union(schema: string): string[] {
  const match = new RegExp(`\\n\\s+${schema}: ((?:"[^"]*"(?: \\| )?)+);`).exec(
    sourceFile('api/schema.d.ts'),
  );
  expect(match, `no union ${schema} in src/api/schema.d.ts`).not.toBeNull();
  return [...(match?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
}

const labels = (table: Record<string, StateWords>) =>
  Object.fromEntries(Object.entries(table).map(([code, words]) => [code, words.label]));

describe('states in words', () => {
  it('words every state, outcome, kind and mode the API answers, and nothing else', () => {
    const tables: [string[], Record<string, unknown>][] = [
      [union('RunState'), OPERATION_STATES],
      [union('TaskRunState'), TASK_RUN_STATES],
      [union('SyncRunState'), SYNC_STATES],
      [union('SyncKind'), SYNC_KINDS],
      [union('SyncMode'), SYNC_MODES],
      [[...union('ItemState'), ...union('DryRunOutcome')], STEP_OUTCOMES],
      [union('Outcome'), PREVIEW_OUTCOMES],
      [union('DeliveryState'), DELIVERY_STATES],
      [union('LicenseState'), LICENSE_STATES],
      [union('EventKind'), EVENT_LABELS],
    ];
    for (const [codes, table] of tables) expect(Object.keys(table).sort()).toEqual(codes.sort());
  });

  it('pins the words', () => {
    expect(labels(OPERATION_STATES)).toEqual({
      queued: 'Queued',
      syncing: 'Syncing users',
      running: 'Running',
      cancelling: 'Cancelling',
      cancelled: 'Cancelled',
      completed: 'Completed',
      failed: 'Failed',
    });
    expect(labels(TASK_RUN_STATES)).toEqual({
      running: 'Running',
      succeeded: 'Succeeded',
      partiallySucceeded: 'Partially succeeded',
      failed: 'Failed',
      cancelled: 'Cancelled',
    });
    expect(labels(SYNC_STATES)).toEqual({
      queued: 'Queued',
      running: 'Running',
      succeeded: 'Succeeded',
      failed: 'Failed',
    });
    expect(SYNC_KINDS).toEqual({
      initial: 'First sync',
      daily: 'Daily',
      manual: 'Manual',
      pre_operation: 'Before an operation',
      post_operation: 'After an operation',
    });
    expect(SYNC_MODES).toEqual({
      full: 'Full read',
      incremental: 'Changes only',
      partial: 'Selected users',
    });
    expect(labels(STEP_OUTCOMES)).toEqual({
      done: 'Done',
      skipped: 'Skipped',
      failed: 'Failed',
      pending: 'Pending',
      in_flight: 'In progress',
      would_act: 'Would change',
      wouldAct: 'Would change',
      skip: 'Skip',
    });
    expect(labels(PREVIEW_OUTCOMES)).toEqual({ act: 'Change', skip: 'Skip' });
    expect(labels(DELIVERY_STATES)).toEqual({
      pending: 'Pending',
      succeeded: 'Succeeded',
      failed: 'Failed',
    });
    expect(labels(LICENSE_STATES)).toEqual({
      ok: 'Within the limit',
      grace: 'Grace period',
      exceeded: 'Limit exceeded',
    });
    // Rows spell a status `not_invited`, filters `notInvited`: both read the same.
    expect(Object.fromEntries(union('UserStatus').map((s) => [s, statusLabel(s)]))).toEqual({
      active: 'Active',
      suspended: 'Suspended',
      deactivated: 'Deactivated',
      notInvited: 'Not invited',
    });
    expect(statusLabel('not_invited')).toBe('Not invited');
  });

  it('never shows a code as it is: unknown ones are humanized', () => {
    expect(humanize('partially_failed')).toBe('Partially failed');
    expect(humanize('notInvited')).toBe('Not invited');
    expect(humanize('pre-operation')).toBe('Pre operation');
    expect(stateWords(OPERATION_STATES, 'paused_by_admin')).toEqual({
      label: 'Paused by admin',
      appearance: 'default',
    });
    expect(stateWords(TASK_RUN_STATES, 'partiallySucceeded').label).toBe('Partially succeeded');
  });

  it('says what a running operation or sync is doing', () => {
    expect(operationPhase('pre-operation sync')).toBe('syncing the users first');
    expect(operationPhase('executing')).toBe('making the changes');
    expect(operationPhase('paused: the app is disabled on the site')).toBe(
      'paused: the app is disabled on the site',
    );
    expect(operationPhase('waiting_for_lease')).toBe('waiting for lease');
    expect(syncPhase('users and groups')).toBe('Syncing users and groups');
    expect(syncPhase('publishing')).toBe('Publishing the synced data');
    expect(syncPhase('events')).toBe('Reading the organization’s changes');
    expect(syncPhase('memberships')).toBe('Syncing memberships');
  });
});
