import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import type { HeadType, RowType } from '@atlaskit/dynamic-table/types';
import { Label } from '@atlaskit/form';
import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';
import Select from '@atlaskit/select';
import { useId, useMemo, useState } from 'react';
import type { ResultItem } from '../../api/types';
import { type Names, actionLabel } from './describe';

const ROWS_PER_PAGE = 50;

const OUTCOMES: Record<string, { label: string; appearance: ThemeAppearance }> = {
  done: { label: 'Done', appearance: 'success' },
  skipped: { label: 'Skipped', appearance: 'default' },
  failed: { label: 'Failed', appearance: 'removed' },
  pending: { label: 'Pending', appearance: 'inprogress' },
  in_flight: { label: 'In flight', appearance: 'inprogress' },
  wouldAct: { label: 'Would change', appearance: 'new' },
  would_act: { label: 'Would change', appearance: 'new' },
  skip: { label: 'Skip', appearance: 'default' },
};

/** How an outcome (`done`, `in_flight`, …) reads; unknown outcomes as they are. */
export function outcomeLabel(outcome: string): string {
  return OUTCOMES[outcome]?.label ?? outcome;
}

/** A step's outcome (`done`, `failed`, …) as a lozenge; unknown outcomes as they are. */
export function OutcomeLozenge({ outcome }: { outcome: string }) {
  return (
    <Lozenge appearance={OUTCOMES[outcome]?.appearance ?? 'default'}>
      {outcomeLabel(outcome)}
    </Lozenge>
  );
}

interface OutcomeOption {
  label: string;
  value: string;
}
/** "All outcomes", then the outcomes the steps have. */
function outcomeOptions(items: readonly ResultItem[]): OutcomeOption[] {
  const present = new Set<string>(items.map((i) => i.outcome));
  return [
    { label: 'All outcomes', value: '' },
    ...[...Object.keys(OUTCOMES), ...present]
      .filter((value, index, all) => present.has(value) && all.indexOf(value) === index)
      .map((value) => ({ label: outcomeLabel(value), value })),
  ];
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

/** Every step of a task run with its outcome, filterable by outcome, 50 per page. */
export function ResultsTable({ items, names }: { items: ResultItem[]; names: Names }) {
  const selectId = useId();
  const [outcome, setOutcome] = useState('');
  const [page, setPage] = useState(1);
  const shown = outcome === '' ? items : items.filter((i) => i.outcome === outcome);
  const options = useMemo(() => outcomeOptions(items), [items]);

  const rows = resultRows(shown, names);

  return (
    <div>
      <div className="ow-toolbar-field ow-results-filter">
        <Label htmlFor={selectId}>Outcome</Label>
        <Select<OutcomeOption>
          inputId={selectId}
          options={options}
          value={options.find((o) => o.value === outcome)}
          isSearchable={false}
          spacing="compact"
          onChange={(o) => {
            setOutcome(o?.value ?? '');
            setPage(1);
          }}
          testId="results-outcome"
        />
      </div>
      <div className="ow-table-scroll">
        <DynamicTableStateless
          label="Results"
          head={RESULTS_HEAD}
          rows={rows}
          rowsPerPage={ROWS_PER_PAGE}
          page={page}
          onSetPage={setPage}
          emptyView={<p className="ow-empty">No steps{outcome ? ' with this outcome' : ''}.</p>}
          testId="results-table"
          paginationi18n={{
            prev: 'Previous page',
            next: 'Next page',
            label: 'Pages',
            pageLabel: 'Page',
          }}
        />
      </div>
    </div>
  );
}
