// Operations as people read them: action names and summaries, skip reasons (states are in
// describeStates.ts).
import type { Action, ActionType } from '../../api/types';
import type { Catalog } from '../../filter';

/** Names for the ids an action holds (sites and products from the catalog, groups from the mirror). */
export interface Names extends Catalog {
  groupName: (id: string) => string;
}

/** Every action type with its label, in the order the modal offers them. */
export const ACTION_TYPES: ReadonlyArray<{
  type: ActionType;
  label: string;
  destructive: boolean;
}> = [
  { type: 'removeAppAccess', label: 'Remove app access', destructive: true },
  { type: 'suspend', label: 'Suspend', destructive: true },
  { type: 'restore', label: 'Restore', destructive: false },
  { type: 'addToGroups', label: 'Add to groups', destructive: false },
  { type: 'removeFromGroups', label: 'Remove from groups', destructive: true },
];

/** "Remove app access", "Suspend", …; `revert` (a revert's steps) and unknown types as they are. */
export function actionLabel(type: string): string {
  if (type === 'revert') return 'Revert';
  return ACTION_TYPES.find((a) => a.type === type)?.label ?? type;
}

/** One action in words: "Add to groups: jira-admins, staff", "Remove app access: all apps". */
export function describeAction(action: Action, names: Names): string {
  const label = actionLabel(action.type);
  switch (action.type) {
    case 'addToGroups':
    case 'removeFromGroups':
      return `${label}: ${action.groupIds.map(names.groupName).join(', ')}`;
    case 'removeAppAccess':
      if (action.all) return `${label}: all apps`;
      return `${label}: ${(action.targets ?? [])
        .map((t) => `${names.productName(t.productKey)} on ${names.siteName(t.siteId)}`)
        .join(', ')}`;
    default:
      return label;
  }
}

/** An operation's actions in words, in order; a revert (no actions) says what it undoes. */
export function describeActions(
  actions: readonly Action[],
  names: Names,
  revertOf?: number | null,
): string {
  if (actions.length === 0 && revertOf) return `Revert of operation #${revertOf}`;
  return actions.map((a) => describeAction(a, names)).join(' → ');
}

/** Skip reasons, most frequent first. */
export function skipReasons(bySkipReason: Record<string, number>): Array<[string, number]> {
  return Object.entries(bySkipReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** "1 user", "12 users". */
export function users(n: number): string {
  return `${n.toLocaleString()} ${n === 1 ? 'user' : 'users'}`;
}
