import Button from '@atlaskit/button/new';
import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import { Label } from '@atlaskit/form';
import { Inline } from '@atlaskit/primitives';
import Select from '@atlaskit/select';
import Spinner from '@atlaskit/spinner';
import { useId, useState } from 'react';
import { STEPS_PER_PAGE, useOperationSteps } from '../../api/operationQueries';
import type { OperationView } from '../../api/types';
import { ErrorMessage } from '../ErrorMessage';
import type { Names } from './describe';
import { RESULTS_HEAD, outcomeLabel, resultRows } from './resultRows';

interface OutcomeOption {
  label: string;
  value: string;
}

/** "All outcomes", then each outcome of `counts` (ledger state and count) that has steps. */
function stepOutcomeOptions(
  total: number,
  counts: readonly (readonly [string, number])[],
  showCounts: boolean,
): OutcomeOption[] {
  const label = (text: string, count: number) =>
    showCounts ? `${text} (${count.toLocaleString()})` : text;
  return [
    { label: label('All outcomes', total), value: '' },
    ...counts
      .filter(([, count]) => count > 0)
      .map(([value, count]) => ({ label: label(outcomeLabel(value), count), value })),
  ];
}

/** The outcomes of an operation's steps (ledger state and count), from its progress. */
export function progressCounts(progress: OperationView['progress']): [string, number][] {
  return [
    ['done', progress.done],
    ['skipped', progress.skipped],
    ['failed', progress.failed],
    ['pending', progress.pending - progress.inFlight],
    ['in_flight', progress.inFlight],
    // A dry run's planned changes: the steps in none of the other states.
    [
      'would_act',
      progress.total - progress.pending - progress.done - progress.skipped - progress.failed,
    ],
  ];
}

interface StepsTableProps {
  /** The operation (or the task run's operation) whose steps are listed. */
  operationId: number;
  /** Steps in all. */
  total: number;
  /** The outcomes to filter by, with their counts. */
  counts: readonly (readonly [string, number])[];
  names: Names;
  /** Read the page again every second (the operation is still running). */
  live?: boolean;
  /**
   * Show the counts beside the outcomes: they are the whole operation's, so not for an admin
   * limited to what they administer, who sees only their users' steps.
   */
  showCounts?: boolean;
}

/**
 * An operation's steps in plan order, read from the server a page at a time (an operation may
 * have 300,000), filterable by outcome; Previous and Next page through them.
 */
export function StepsTable({
  operationId,
  total,
  counts,
  names,
  live = false,
  showCounts = true,
}: StepsTableProps) {
  const selectId = useId();
  const [outcome, setOutcome] = useState('');
  // The cursors that opened the pages after the first, up to this one.
  const [cursors, setCursors] = useState<string[]>([]);
  const steps = useOperationSteps(operationId, outcome, cursors[cursors.length - 1], live);
  const options = stepOutcomeOptions(total, counts, showCounts);
  const next = steps.data?.nextCursor ?? undefined;
  const page = cursors.length + 1;

  return (
    <div>
      {steps.isError && (
        <ErrorMessage
          error={steps.error}
          title="The results could not be loaded"
          onRetry={() => void steps.refetch()}
        />
      )}
      <div className="ow-toolbar-field ow-results-filter">
        <Label htmlFor={selectId}>Outcome</Label>
        <Select<OutcomeOption>
          inputId={selectId}
          options={options}
          value={options.find((o) => o.value === outcome) ?? options[0]}
          isSearchable={false}
          spacing="compact"
          onChange={(o) => {
            setOutcome(o?.value ?? '');
            setCursors([]);
          }}
          testId="results-outcome"
        />
      </div>
      {steps.isPending && <Spinner size="medium" label="Loading the results" />}
      {steps.data && (
        <div className="ow-table-scroll" aria-busy={steps.isPlaceholderData}>
          <DynamicTableStateless
            label="Results"
            head={RESULTS_HEAD}
            rows={resultRows(steps.data.items, names)}
            isLoading={steps.isPlaceholderData}
            emptyView={<p className="ow-empty">No steps{outcome ? ' with this outcome' : ''}.</p>}
            testId="results-table"
          />
        </div>
      )}
      {(page > 1 || next) && (
        <Inline space="space.100" alignBlock="center">
          <Button
            isDisabled={page === 1 || steps.isPlaceholderData}
            onClick={() => setCursors((c) => c.slice(0, -1))}
            testId="steps-previous"
          >
            Previous page
          </Button>
          <span className="ow-subtle" data-testid="steps-page">
            Page {page} · {STEPS_PER_PAGE} steps per page
          </span>
          <Button
            isDisabled={!next || steps.isPlaceholderData}
            onClick={() => next && setCursors((c) => [...c, next])}
            testId="steps-next"
          >
            Next page
          </Button>
        </Inline>
      )}
    </div>
  );
}
