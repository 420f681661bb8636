import type { HeadType, RowType } from '@atlaskit/dynamic-table/types';
import Lozenge from '@atlaskit/lozenge';
import type { ResultItem } from '../../api/types';
import { type Names, actionLabel } from './describe';
import { STEP_OUTCOMES, stateWords } from './describeStates';

/** How an outcome (`done`, `in_flight`, …) reads; unknown outcomes humanized. */
export function outcomeLabel(outcome: string): string {
  return stateWords(STEP_OUTCOMES, outcome).label;
}

/** A step's outcome (`done`, `failed`, …) as a lozenge; unknown outcomes humanized. */
export function OutcomeLozenge({ outcome }: { outcome: string }) {
  const words = stateWords(STEP_OUTCOMES, outcome);
  return <Lozenge appearance={words.appearance}>{words.label}</Lozenge>;
}

/** The columns of a table of steps. */
export const RESULTS_HEAD: HeadType = {
  cells: [
    { key: 'user', content: 'User' },
    { key: 'action', content: 'Action' },
    { key: 'target', content: 'On' },
    { key: 'outcome', content: 'Outcome' },
    { key: 'detail', content: 'What happened' },
  ],
};

/** What a step applies to: a group, or a product on a site; null when it names neither. */
export function stepTarget(item: ResultItem, names: Names): string | null {
  if (item.groupId) return names.groupName(item.groupId);
  if (item.productKey && item.siteId)
    return `${names.productName(item.productKey)} on ${names.siteName(item.siteId)}`;
  return null;
}

/** The step's user: name and email from the mirror, or the account id once the user is gone. */
function UserCell({ item }: { item: ResultItem }) {
  if (!item.name) return <span className="ow-mono">{item.accountId}</span>;
  return (
    <span title={item.accountId}>
      {item.name}
      {item.email && <div className="ow-subtle">{item.email}</div>}
    </span>
  );
}

/** The table rows of `items`: user, action, target, outcome and what happened. */
export function resultRows(items: readonly ResultItem[], names: Names): RowType[] {
  return items.map((item, index) => ({
    key: `${index}-${item.accountId}-${item.actionIndex}`,
    testId: 'result-row',
    cells: [
      { content: <UserCell item={item} /> },
      { content: actionLabel(item.action) },
      { content: stepTarget(item, names) ?? '—' },
      {
        content: (
          <span data-testid="result-outcome" data-outcome={item.outcome}>
            <OutcomeLozenge outcome={item.outcome} />
          </span>
        ),
      },
      { content: item.error ?? item.reason ?? '' },
    ],
  }));
}
