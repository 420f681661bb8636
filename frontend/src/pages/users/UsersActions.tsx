import { useState } from 'react';
import type { Filter, ImportResult, Sort } from '../../api/types';
import { useRouter } from '../../route';
import { ExportMenu } from './ExportMenu';
import { ImportButton, ImportResultMessage } from './ImportSelection';
import { SavedFilters } from './SavedFilters';
import './UsersActions.css';

interface UsersActionsProps {
  filter: Filter;
  selected: ReadonlySet<string>;
  total: number;
  /** The table's sort (exports follow it). */
  sort: Sort;
  /** Makes these account ids the selection (of the unfiltered list). */
  onSelect: (accountIds: string[]) => void;
}

/** The User Browser's second toolbar: saved filters, export and import. */
export function UsersActions({ filter, selected, total, sort, onSelect }: UsersActionsProps) {
  const { route, update } = useRouter();
  const [imported, setImported] = useState<ImportResult | null>(null);
  const onImported = (result: ImportResult) => {
    setImported(result);
    // The imported users may lie outside the current filter: select them among all users.
    onSelect(result.accountIds);
    update({ filter: null, saved: null, page: null });
  };
  return (
    <>
      <div className="ow-users-actions" data-testid="users-actions">
        <SavedFilters filter={filter} savedId={route.params.get('saved')} />
        <span className="ow-users-actions-gap" />
        <ExportMenu filter={filter} selected={selected} total={total} sort={sort} />
        <ImportButton onImported={onImported} />
      </div>
      {imported && <ImportResultMessage result={imported} onDismiss={() => setImported(null)} />}
    </>
  );
}
