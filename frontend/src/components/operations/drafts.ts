// The bulk-operations modal's actions while they are being chosen, and the request they make.
import type { Action, ActionType, AppTarget } from '../../api/types';

/** One action being chosen: its type and whatever that type needs. */
export interface Draft {
  /** Stable React key. */
  key: number;
  type: ActionType;
  /** Remove app access: every product on every site. */
  allApps: boolean;
  /** Remove app access: the chosen products on sites. */
  targets: AppTarget[];
  /** Add to / remove from groups: the chosen group ids. */
  groupIds: string[];
}

let nextKey = 1;

/** A new draft of `type`, with nothing chosen yet. */
export function newDraft(type: ActionType): Draft {
  nextKey += 1;
  return { key: nextKey, type, allApps: false, targets: [], groupIds: [] };
}

/** What is still missing before the draft is an action, or null when it is complete. */
export function missing(draft: Draft): string | null {
  if (draft.type === 'removeAppAccess' && !draft.allApps && draft.targets.length === 0) {
    return 'Choose the apps to remove, or all apps.';
  }
  if (
    (draft.type === 'addToGroups' || draft.type === 'removeFromGroups') &&
    draft.groupIds.length === 0
  ) {
    return 'Choose at least one group.';
  }
  return null;
}

/** The API action of a complete draft. */
export function toAction(draft: Draft): Action {
  switch (draft.type) {
    case 'removeAppAccess':
      return draft.allApps
        ? { type: 'removeAppAccess', all: true }
        : { type: 'removeAppAccess', targets: draft.targets };
    case 'addToGroups':
    case 'removeFromGroups':
      return { type: draft.type, groupIds: draft.groupIds };
    default:
      return { type: draft.type };
  }
}

/** The list with the draft at `index` moved by `by` places (kept in range). */
export function move<T>(list: readonly T[], index: number, by: number): T[] {
  const to = Math.max(0, Math.min(list.length - 1, index + by));
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

/** True when `targets` holds this product on this site. */
export function hasTarget(
  targets: readonly AppTarget[],
  siteId: string,
  productKey: string,
): boolean {
  return targets.some((t) => t.siteId === siteId && t.productKey === productKey);
}
