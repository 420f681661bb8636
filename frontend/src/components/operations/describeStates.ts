// States as people read them: every state, outcome, kind and phase the API answers, in words and
// with a lozenge's appearance. One table per field, keyed by the API's own union, so a state the
// API adds fails the type check (and describeStates.test.ts) until it has words here. User
// statuses are the filter's (filter.ts).
import type { ThemeAppearance } from '@atlaskit/lozenge';
import type { License } from '../../api/license';
import type {
  DeliveryState,
  OperationView,
  PreviewItem,
  ResultItem,
  SyncStatus,
  TaskRun,
} from '../../api/types';

/** A state in words, and the lozenge it is shown in. */
export interface StateWords {
  label: string;
  appearance: ThemeAppearance;
}

/** An operation's state (also a task run's operation). */
export const OPERATION_STATES: Record<OperationView['state'], StateWords> = {
  queued: { label: 'Queued', appearance: 'default' },
  syncing: { label: 'Syncing users', appearance: 'inprogress' },
  running: { label: 'Running', appearance: 'inprogress' },
  cancelling: { label: 'Cancelling', appearance: 'moved' },
  cancelled: { label: 'Cancelled', appearance: 'moved' },
  completed: { label: 'Completed', appearance: 'success' },
  failed: { label: 'Failed', appearance: 'removed' },
};

/** A task run's state. */
export const TASK_RUN_STATES: Record<TaskRun['state'], StateWords> = {
  running: { label: 'Running', appearance: 'inprogress' },
  succeeded: { label: 'Succeeded', appearance: 'success' },
  partiallySucceeded: { label: 'Partially succeeded', appearance: 'moved' },
  failed: { label: 'Failed', appearance: 'removed' },
  cancelled: { label: 'Cancelled', appearance: 'moved' },
};

/** A sync run's state. */
export const SYNC_STATES: Record<SyncStatus['state'], StateWords> = {
  queued: { label: 'Queued', appearance: 'default' },
  running: { label: 'Running', appearance: 'inprogress' },
  succeeded: { label: 'Succeeded', appearance: 'success' },
  failed: { label: 'Failed', appearance: 'removed' },
};

/** Why a sync ran. */
export const SYNC_KINDS: Record<SyncStatus['kind'], string> = {
  initial: 'First sync',
  daily: 'Daily',
  manual: 'Manual',
  pre_operation: 'Before an operation',
  post_operation: 'After an operation',
};

/** What a sync read: everyone, only what the organization's events named, or chosen users. */
export const SYNC_MODES: Record<SyncStatus['mode'], string> = {
  full: 'Full read',
  incremental: 'Changes only',
  partial: 'Selected users',
};

/** A step's outcome in results and histories (a task's dry run: `wouldAct` or `skip`). */
export const STEP_OUTCOMES: Record<ResultItem['outcome'], StateWords> = {
  done: { label: 'Done', appearance: 'success' },
  skipped: { label: 'Skipped', appearance: 'default' },
  failed: { label: 'Failed', appearance: 'removed' },
  pending: { label: 'Pending', appearance: 'inprogress' },
  in_flight: { label: 'In progress', appearance: 'inprogress' },
  would_act: { label: 'Would change', appearance: 'new' },
  wouldAct: { label: 'Would change', appearance: 'new' },
  skip: { label: 'Skip', appearance: 'default' },
};

/** A previewed step: carried out or skipped. */
export const PREVIEW_OUTCOMES: Record<PreviewItem['outcome'], StateWords> = {
  act: { label: 'Change', appearance: 'inprogress' },
  skip: { label: 'Skip', appearance: 'default' },
};

/** A webhook delivery's state: waiting for an attempt, succeeded, or failed for good. */
export const DELIVERY_STATES: Record<DeliveryState, StateWords> = {
  pending: { label: 'Pending', appearance: 'inprogress' },
  succeeded: { label: 'Succeeded', appearance: 'success' },
  failed: { label: 'Failed', appearance: 'removed' },
};

/** The app license's usage against its limit. */
export const LICENSE_STATES: Record<License['state'], StateWords> = {
  ok: { label: 'Within the limit', appearance: 'success' },
  grace: { label: 'Grace period', appearance: 'moved' },
  exceeded: { label: 'Limit exceeded', appearance: 'removed' },
};

/** What an operation is doing (its `phase`), inside a sentence. */
const OPERATION_PHASES: Record<string, string> = {
  queued: 'waiting for its turn',
  'pre-operation sync': 'syncing the users first',
  planning: 'planning the steps',
  executing: 'making the changes',
  'post-operation sync': 'syncing the changed users',
  done: 'finished',
  failed: 'failed',
};

/** What a sync is doing (its `phase`), as the header says it. */
const SYNC_PHASES: Record<string, string> = {
  queued: 'Sync queued',
  directories: 'Syncing directories',
  sites: 'Syncing sites',
  'users and groups': 'Syncing users and groups',
  users: 'Syncing users',
  groups: 'Syncing groups',
  events: 'Reading the organization’s changes',
  publishing: 'Publishing the synced data',
  done: 'Sync finished',
  failed: 'Sync failed',
};

/** A code in words when no table knows it: `partially_failed` → "Partially failed". */
export function humanize(code: string): string {
  const words = code
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.replace(/^./, (c) => c.toUpperCase());
}

/** The words of `code` in `table`; a code it does not know humanized, in a neutral lozenge. */
export function stateWords(table: Readonly<Record<string, StateWords>>, code: string): StateWords {
  return table[code] ?? { label: humanize(code), appearance: 'default' };
}

/** The label of `code` in `table` (kinds, modes); a code it does not know humanized. */
export function labelOf(table: Readonly<Record<string, string>>, code: string): string {
  return table[code] ?? humanize(code);
}

/** An operation's phase inside a sentence ("planning the steps"); others as the server words them. */
export function operationPhase(phase: string): string {
  return OPERATION_PHASES[phase] ?? phase.replace(/_+/g, ' ');
}

/** A running sync's phase in words ("Syncing users and groups", "Publishing the synced data"). */
export function syncPhase(phase: string): string {
  return SYNC_PHASES[phase] ?? `Syncing ${phase}`;
}
