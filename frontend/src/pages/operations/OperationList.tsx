import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import type { HeadType, RowType } from '@atlaskit/dynamic-table/types';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useOperations } from '../../api/operationQueries';
import { useMe } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../hooks';
import { useRouter } from '../../route';
import { absoluteTime, relativeTime } from '../../time';
import { describeActions } from '../../components/operations/describe';
import { ProgressBar, StateLozenge, finishedSteps } from '../../components/operations/Progress';
import { useNames } from '../../components/operations/useNames';

const PAGE_SIZE = 25;

const HEAD: HeadType = {
  cells: [
    { key: 'id', content: '#' },
    { key: 'when', content: 'When' },
    { key: 'who', content: 'Who' },
    { key: 'actions', content: 'Actions' },
    { key: 'state', content: 'State' },
    { key: 'progress', content: 'Progress' },
  ],
};

/** Every operation of the tenant, newest first, paged by the server; each opens its page. */
export function OperationList() {
  const { route, update, navigate } = useRouter();
  const page = Math.max(1, Math.floor(Number(route.params.get('page'))) || 1);
  const list = useOperations(page, PAGE_SIZE);
  const me = useMe();
  const names = useNames();
  const now = useNow(60_000);
  const open = (id: number) => navigate('operations', { op: String(id) });

  const rows: RowType[] = (list.data?.items ?? []).map((op) => ({
    key: String(op.id),
    testId: 'operation-row',
    cells: [
      {
        content: (
          <button
            type="button"
            className="ow-link"
            onClick={() => open(op.id)}
            data-testid="operation-link"
          >
            #{op.id}
          </button>
        ),
      },
      {
        content: (
          <time dateTime={op.createdAt} title={absoluteTime(op.createdAt)} className="ow-nowrap">
            {relativeTime(op.createdAt, now)}
          </time>
        ),
      },
      {
        content:
          op.requestedBy === me.data?.accountId ? (
            'You'
          ) : (
            <span className="ow-mono">{op.requestedBy}</span>
          ),
      },
      { content: describeActions(op.actions, names, op.revertOf) },
      {
        content: (
          <Inline space="space.050" alignBlock="center">
            <StateLozenge state={op.state} />
            {op.dryRun && <Lozenge appearance="new">Dry run</Lozenge>}
          </Inline>
        ),
      },
      {
        content: (
          <span className="ow-progress-cell">
            <ProgressBar progress={op.progress} label={`Progress of operation ${op.id}`} />
            <span className="ow-subtle ow-nowrap">
              {finishedSteps(op.progress).toLocaleString()} / {op.progress.total.toLocaleString()}
            </span>
          </span>
        ),
      },
    ],
  }));

  let body;
  if (list.isPending) body = <Spinner size="large" label="Loading operations" />;
  else if (list.isError && !list.data)
    body = (
      <ErrorMessage
        error={list.error}
        title="The operations could not be loaded"
        onRetry={() => void list.refetch()}
      />
    );
  else
    body = (
      <div className="ow-table-scroll">
        <DynamicTableStateless
          label="Operations"
          head={HEAD}
          rows={rows}
          page={page}
          rowsPerPage={PAGE_SIZE}
          totalRows={list.data?.total}
          onSetPage={(p) => update({ page: p === 1 ? null : String(p) })}
          isLoading={list.isFetching && list.isPlaceholderData}
          emptyView={
            <p className="ow-empty">
              No operations yet. Select users in Users, then choose “Bulk actions…”.
            </p>
          }
          testId="operations-table"
          paginationi18n={{
            prev: 'Previous page',
            next: 'Next page',
            label: 'Pages',
            pageLabel: 'Page',
          }}
        />
      </div>
    );

  return (
    <Stack space="space.200" testId="operations">
      <Heading size="large" as="h1">
        Operations
      </Heading>
      <p className="ow-subtle">
        Bulk operations, newest first. Open one for its progress, results and revert.
      </p>
      {body}
    </Stack>
  );
}
