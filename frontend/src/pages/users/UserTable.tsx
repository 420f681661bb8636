import { Checkbox } from '@atlaskit/checkbox';
import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import type { HeadType, RowType, SortOrderType } from '@atlaskit/dynamic-table/types';
import type { SortField, UserPage, UserRow } from '../../api/types';
import type { OrgCatalog } from '../../catalog';
import { roleLabel } from '../../filter';
import { useNow } from '../../hooks';
import { Clipped, Email, LastActive, StatusLozenge } from './cells';

export const SORT_FIELDS: readonly SortField[] = ['name', 'email', 'lastActive', 'status'];

interface UserTableProps {
  data: UserPage | undefined;
  isLoading: boolean;
  sort: SortField;
  descending: boolean;
  onSort: (field: SortField, descending: boolean) => void;
  page: number;
  pageSize: number;
  onSetPage: (page: number) => void;
  selected: ReadonlySet<string>;
  onSelect: (accountIds: string[], selected: boolean) => void;
  openUser: string | null;
  onOpenUser: (accountId: string) => void;
  catalog: OrgCatalog;
  /** The filter names products or sites: "last active" is on those. */
  perProduct: boolean;
}

/** Product names, each once (the title lists every product on every site). */
function productNames(row: UserRow, catalog: OrgCatalog): { names: string[]; detail: string[] } {
  const names = [...new Set(row.products.map((p) => catalog.productName(p.productKey)))];
  const detail = row.products.map(
    (p) => `${catalog.productName(p.productKey)} on ${catalog.siteName(p.siteId)}`,
  );
  return { names, detail };
}

/**
 * The user list: one server page, sortable by name, email, status and last active, with row
 * checkboxes. Last active follows status, so the seat question is answered without scrolling.
 */
export function UserTable(props: UserTableProps) {
  const { data, sort, descending, selected, catalog, openUser } = props;
  const now = useNow(60_000);
  const items = data?.items ?? [];
  const pageIds = items.map((u) => u.accountId);
  const selectedOnPage = pageIds.filter((id) => selected.has(id)).length;
  const allOnPage = pageIds.length > 0 && selectedOnPage === pageIds.length;

  const head: HeadType = {
    cells: [
      {
        key: 'select',
        width: 4,
        content: (
          <Checkbox
            aria-label="Select all users on this page"
            isChecked={allOnPage}
            isIndeterminate={selectedOnPage > 0 && !allOnPage}
            isDisabled={pageIds.length === 0}
            onChange={() => props.onSelect(pageIds, !allOnPage)}
            testId="select-page"
          />
        ),
      },
      { key: 'name', content: 'Name', isSortable: true, width: 11 },
      { key: 'email', content: 'Email', isSortable: true, width: 15 },
      { key: 'status', content: 'Status', isSortable: true, width: 10 },
      {
        key: 'lastActive',
        content: props.perProduct ? 'Last active (filtered)' : 'Last active',
        isSortable: true,
        width: 12,
      },
      { key: 'sites', content: 'Sites', width: 8 },
      { key: 'products', content: 'Products', width: 15 },
      { key: 'groups', content: 'Groups', width: 13 },
      { key: 'roles', content: 'Roles', width: 12 },
    ],
  };

  // The server sorted the page: sortable cells carry the row's position as their key, so the
  // table's own client-side sort keeps that order.
  const position = (index: number) => (descending ? -index : index);
  const productsCell = (user: UserRow) => {
    const { names, detail } = productNames(user, catalog);
    return { items: names, title: detail.join('\n') };
  };
  const rows: RowType[] = items.map((user, index) => {
    const sortKey = (field: SortField) => (field === sort ? position(index) : undefined);
    return {
      key: user.accountId,
      testId: 'user-row',
      'aria-selected': selected.has(user.accountId),
      cells: [
        {
          key: 'select',
          content: (
            <Checkbox
              aria-label={`Select ${user.name}`}
              isChecked={selected.has(user.accountId)}
              onChange={(e) => props.onSelect([user.accountId], e.currentTarget.checked)}
              testId="select-user"
            />
          ),
        },
        {
          key: sortKey('name'),
          content: (
            <button
              type="button"
              className="ow-link"
              onClick={() => props.onOpenUser(user.accountId)}
              aria-expanded={openUser === user.accountId}
              aria-controls={openUser === user.accountId ? 'user-detail' : undefined}
              data-account-id={user.accountId}
              data-testid="user-name"
            >
              {user.name || user.accountId}
            </button>
          ),
        },
        {
          key: sortKey('email'),
          content: <Email email={user.email} />,
        },
        { key: sortKey('status'), content: <StatusLozenge status={user.status} /> },
        {
          key: sortKey('lastActive'),
          content: <LastActive at={user.lastActive} joined={user.addedToOrg} now={now} />,
        },
        { content: <Clipped items={user.sites.map((s) => catalog.siteName(s))} /> },
        { content: <Clipped {...productsCell(user)} /> },
        { content: <Clipped items={user.groups.map((g) => g.name)} max={1} /> },
        { content: <Clipped items={user.roles.map(roleLabel)} max={3} /> },
      ],
    };
  });

  const highlighted = openUser ? items.findIndex((u) => u.accountId === openUser) : -1;
  const sortOrder: SortOrderType = descending ? 'DESC' : 'ASC';

  return (
    <div className="ow-table-scroll ow-table-fixed">
      <DynamicTableStateless
        label="Users"
        isFixedSize
        head={head}
        rows={rows}
        sortKey={sort}
        sortOrder={sortOrder}
        onSort={(data: { key: string; sortOrder: SortOrderType }) => {
          const field = SORT_FIELDS.find((f) => f === data.key);
          if (field) props.onSort(field, data.sortOrder === 'DESC');
        }}
        page={props.page}
        rowsPerPage={props.pageSize}
        totalRows={data?.total}
        onSetPage={props.onSetPage}
        isLoading={props.isLoading}
        highlightedRowIndex={highlighted >= 0 ? highlighted : undefined}
        emptyView={<p className="ow-empty">No users match this filter.</p>}
        testId="users-table"
        paginationi18n={{
          prev: 'Previous page',
          next: 'Next page',
          label: 'Pages',
          pageLabel: 'Page',
        }}
      />
    </div>
  );
}
