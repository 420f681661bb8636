// The bulk actions composer's input as it is kept in the tab (keptDrafts.ts): tied to the
// selection it was made for, never offered for another.
import type { OperationSelection } from '../../api/types';
import { type Draft, restoredActions, storedActions } from '../../components/operations/drafts';
import { filterParam } from '../../filter';
import { fingerprint } from '../../keptDrafts';

/** What the composer holds: the actions in order and the reason. */
export interface Composition {
  actions: Draft[];
  reason: string;
}

/** Where the composer starts: no action, no reason. */
export const NOTHING_COMPOSED: Composition = { actions: [], reason: '' };

/** True once an action was added or a reason typed. */
export function composedSomething(composition: Composition): boolean {
  return composition.actions.length > 0 || composition.reason.trim() !== '';
}

/**
 * The slot of the composer's draft for `selection`: the same users picked one by one (in any
 * order), or "all matching" the same filter, find it again; any other selection does not.
 */
export function composerDraftSlot(selection: OperationSelection): string {
  const key = selection.filter
    ? `filter:${filterParam(selection.filter) ?? ''}`
    : `users:${[...(selection.accountIds ?? [])].sort().join(',')}`;
  return `bulk.${fingerprint(key)}`;
}

/** The composition as stored: its actions without React keys. */
export function storedComposition(composition: Composition): unknown {
  return { actions: storedActions(composition.actions), reason: composition.reason };
}

/** A stored composition back, with new React keys; null when `stored` is not one. */
export function restoredComposition(stored: unknown): Composition | null {
  const value = stored as Partial<Record<keyof Composition, unknown>> | null;
  const actions = restoredActions(value?.actions);
  if (!actions || typeof value?.reason !== 'string') return null;
  return { actions, reason: value.reason };
}
