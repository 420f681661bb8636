import Lozenge from '@atlaskit/lozenge';
import type { TaskRun } from '../../api/types';
import { TASK_RUN_STATES, stateWords } from '../../components/operations/describeStates';

/** A run's state as a lozenge, with "Dry run" beside it for a rehearsal and "Late" for a run that started after its time. */
export function RunState({ run }: { run: Pick<TaskRun, 'state' | 'dryRun' | 'late'> }) {
  const state = stateWords(TASK_RUN_STATES, run.state);
  return (
    <span className="ow-run-state" data-testid="run-state" data-state={run.state}>
      <Lozenge appearance={state.appearance}>{state.label}</Lozenge>
      {run.dryRun && <Lozenge appearance="new">Dry run</Lozenge>}
      {run.late && <Lozenge appearance="moved">Late</Lozenge>}
    </span>
  );
}

/** "3 done, 1 skipped, 0 failed of 4"; a dry run's planned changes "would change". */
export function countsInWords(counts: TaskRun['counts'], dryRun: boolean): string {
  const acted = dryRun
    ? `${counts.wouldAct.toLocaleString()} would change`
    : `${counts.done.toLocaleString()} done`;
  return `${acted}, ${counts.skipped.toLocaleString()} skipped, ${counts.failed.toLocaleString()} failed of ${counts.total.toLocaleString()}`;
}
