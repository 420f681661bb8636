import DropdownMenu, { DropdownItem, DropdownItemGroup } from '@atlaskit/dropdown-menu';
import { showFlag } from '../../ap';
import { EXPORT_FORMATS, useExportUsers } from '../../api/transfer';
import type { ExportRequest, Filter, Sort } from '../../api/types';
import { buttonTrigger } from '../../components/MenuTrigger';

interface ExportMenuProps {
  filter: Filter;
  /** The selected users; none (or all of the filter's) exports the filter's whole result. */
  selected: ReadonlySet<string>;
  total: number;
  /** The table's sort: the file lists users in the same order. */
  sort: Sort;
}

/**
 * "Export": the selection if there is one, else every user the filter matches, as CSV, JSON or XLSX,
 * in the table's order.
 */
export function ExportMenu({ filter, selected, total, sort }: ExportMenuProps) {
  const exporter = useExportUsers();
  // A selection of every matching user is the filter itself (and a far smaller request).
  const bySelection = selected.size > 0 && selected.size < total;
  const count = bySelection ? selected.size : total;
  const run = (format: ExportRequest['format']) =>
    exporter.mutate(
      { selection: bySelection ? { accountIds: [...selected] } : { filter }, format, sort },
      {
        onSuccess: (file) =>
          void showFlag({
            type: 'success',
            title: 'Export ready',
            body: `${file.filename} has been downloaded.`,
          }),
        onError: (error) =>
          void showFlag({ type: 'error', title: 'The export failed', body: error.message }),
      },
    );
  const users = `${count.toLocaleString()} user${count === 1 ? '' : 's'}`;
  return (
    <DropdownMenu<HTMLButtonElement>
      trigger={buttonTrigger(bySelection ? `Export ${count.toLocaleString()} selected` : 'Export', {
        testId: 'export',
        isLoading: exporter.isPending,
        isDisabled: count === 0,
      })}
      testId="export"
    >
      <DropdownItemGroup>
        {EXPORT_FORMATS.map((f) => (
          <DropdownItem key={f.value} onClick={() => run(f.value)} testId={`export-${f.value}`}>
            {`${f.label} · ${users}`}
          </DropdownItem>
        ))}
      </DropdownItemGroup>
    </DropdownMenu>
  );
}
