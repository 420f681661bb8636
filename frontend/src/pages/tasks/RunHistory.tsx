import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import type { HeadType, RowType } from '@atlaskit/dynamic-table/types';
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useState } from 'react';
import { useTaskRuns } from '../../api/tasks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useNow } from '../../hooks';
import { useRouter } from '../../route';
import { RunState, countsInWords } from './RunState';
import { When } from './When';

const HEAD: HeadType = {
  cells: [
    { key: 'started', content: 'Started' },
    { key: 'state', content: 'State' },
    { key: 'counts', content: 'Steps' },
    { key: 'finished', content: 'Finished' },
  ],
};

/** A task's runs, newest first; each opens its results. */
export function RunHistory({ taskId }: { taskId: number }) {
  const { navigate } = useRouter();
  const runs = useTaskRuns(taskId);
  const now = useNow(60_000);
  const [page, setPage] = useState(1);

  const rows: RowType[] = (runs.data ?? []).map((run) => ({
    key: run.processId,
    testId: 'run-row',
    cells: [
      {
        content: (
          <button
            type="button"
            className="ow-link"
            onClick={() => navigate('tasks', { task: String(taskId), process: run.processId })}
            data-testid="run-link"
          >
            <When at={run.startedAt} now={now} />
          </button>
        ),
      },
      { content: <RunState run={run} /> },
      { content: countsInWords(run.counts, run.dryRun) },
      {
        content: run.finishedAt ? (
          <When at={run.finishedAt} now={now} />
        ) : (
          <span className="ow-subtle">—</span>
        ),
      },
    ],
  }));

  return (
    <section aria-labelledby="run-history-heading">
      <Stack space="space.150">
        <Heading size="small" as="h2" id="run-history-heading">
          Run history
        </Heading>
        {runs.isPending && <Spinner size="medium" label="Loading the runs" />}
        {runs.isError && (
          <ErrorMessage
            error={runs.error}
            title="The runs could not be loaded"
            onRetry={() => void runs.refetch()}
          />
        )}
        {runs.data && (
          <div className="ow-table-scroll">
            <DynamicTableStateless
              label="Runs"
              head={HEAD}
              rows={rows}
              rowsPerPage={25}
              page={page}
              onSetPage={setPage}
              emptyView={<p className="ow-empty">This task has not run yet.</p>}
              testId="runs-table"
              paginationi18n={{
                prev: 'Previous page',
                next: 'Next page',
                label: 'Pages',
                pageLabel: 'Page',
              }}
            />
          </div>
        )}
      </Stack>
    </section>
  );
}
