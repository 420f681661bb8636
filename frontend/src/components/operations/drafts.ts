// The bulk-operations modal's actions while they are being chosen, the request they make, and
// their stored form (a draft kept in the tab, keptDrafts.ts).
import type { Action, ActionType, AppTarget } from '../../api/types';
import { ACTION_TYPES } from './describe';

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

/** Drafts as a kept draft stores them: without their React keys. */
export function storedActions(drafts: readonly Draft[]): Omit<Draft, 'key'>[] {
  return drafts.map(({ key: _key, ...action }) => action);
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

const isTarget = (value: unknown): value is AppTarget =>
  typeof (value as AppTarget | null)?.siteId === 'string' &&
  typeof (value as AppTarget).productKey === 'string';

/** Stored drafts back, with new React keys; null when `stored` is not a list of them. */
export function restoredActions(stored: unknown): Draft[] | null {
  if (!Array.isArray(stored)) return null;
  const drafts: Draft[] = [];
  for (const item of stored as Partial<Draft>[]) {
    const type = ACTION_TYPES.find((a) => a.type === item?.type)?.type;
    if (!type || typeof item.allApps !== 'boolean' || !isStrings(item.groupIds)) return null;
    if (!Array.isArray(item.targets) || !item.targets.every(isTarget)) return null;
    drafts.push({
      ...newDraft(type),
      allApps: item.allApps,
      targets: item.targets,
      groupIds: item.groupIds,
    });
  }
  return drafts;
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
