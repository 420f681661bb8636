import Lozenge from '@atlaskit/lozenge';
import type { OperationView } from '../../api/types';
import { OPERATION_STATES, stateWords } from './describeStates';

type ProgressCounts = OperationView['progress'];

/** Steps that have ended (done, skipped or failed; in a dry run, those that would change). */
export function finishedSteps(progress: ProgressCounts): number {
  return progress.done + progress.skipped + progress.failed + progress.wouldAct;
}

/** A bar of finished steps out of all steps, with done / skipped / failed segments. */
export function ProgressBar({ progress, label }: { progress: ProgressCounts; label: string }) {
  const { total } = progress;
  const percent = (n: number) => (total > 0 ? (n / total) * 100 : 0);
  const ended = finishedSteps(progress);
  return (
    <span
      className="ow-progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={ended}
      aria-valuetext={
        total > 0
          ? `${ended.toLocaleString()} of ${total.toLocaleString()} steps`
          : 'Not planned yet'
      }
      data-testid="progress-bar"
    >
      <span className="ow-progress-done" style={{ width: `${percent(progress.done)}%` }} />
      <span className="ow-progress-skipped" style={{ width: `${percent(progress.skipped)}%` }} />
      <span className="ow-progress-failed" style={{ width: `${percent(progress.failed)}%` }} />
      <span className="ow-progress-would" style={{ width: `${percent(progress.wouldAct)}%` }} />
    </span>
  );
}

/** An operation's state as a Lozenge. */
export function StateLozenge({ state }: { state: string }) {
  const words = stateWords(OPERATION_STATES, state);
  return (
    <span data-testid="operation-state" data-state={state}>
      <Lozenge appearance={words.appearance}>{words.label}</Lozenge>
    </span>
  );
}
