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
import { RESULTS_HEAD, outcomeLabel, resultRows } from './ResultsTable';

interface OutcomeOption {
  label: string;
  value: string;
}

/** "All outcomes", then each outcome the operation's counts hold, with its count. */
export function stepOutcomeOptions(progress: OperationView['progress']): OutcomeOption[] {
  const counts: [string, number][] = [
    ['done', progress.done],
    ['skipped', progress.skipped],
    ['failed', progress.failed],
    ['pending', progress.pending - progress.inFlight],
    ['in_flight', progress.inFlight],
  ];
  return [
    { label: `All outcomes (${progress.total.toLocaleString()})`, value: '' },
    ...counts
      .filter(([, count]) => count > 0)
      .map(([value, count]) => ({
        label: `${outcomeLabel(value)} (${count.toLocaleString()})`,
        value,
      })),
  ];
}

/**
 * An operation's steps in plan order, read from the server a page at a time (an operation may
 * have 300,000), filterable by outcome; Previous and Next page through them.
 */
export function StepsTable({ operation, names }: { operation: OperationView; names: Names }) {
  const selectId = useId();
  const [outcome, setOutcome] = useState('');
  // The cursors that opened the pages after the first, up to this one.
  const [cursors, setCursors] = useState<string[]>([]);
  const steps = useOperationSteps(operation.id, outcome, cursors[cursors.length - 1], true);
  const options = stepOutcomeOptions(operation.progress);
  const next = steps.data?.nextCursor ?? undefined;
  const page = cursors.length + 1;

  if (steps.isError) {
    return (
      <ErrorMessage
        error={steps.error}
        title="The results could not be loaded"
        onRetry={() => void steps.refetch()}
      />
    );
  }
  return (
    <div>
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
      {steps.isPending ? (
        <Spinner size="medium" label="Loading the results" />
      ) : (
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
