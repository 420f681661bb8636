import { STEPS, type Step } from './taskDraft';

export const STEP_LABELS: Record<Step, string> = {
  name: 'Name',
  filter: 'Saved filter',
  actions: 'Actions',
  schedule: 'Schedule',
  review: 'Review',
};

interface StepNavProps {
  step: Step;
  /** The first step with a problem (null: none): the steps after it cannot be reached yet. */
  blocked: Step | null;
  onGo: (step: Step) => void;
}

/** The task editor's steps in order; one is reachable once every step before it is complete. */
export function StepNav({ step, blocked, onGo }: StepNavProps) {
  const reachable = (s: Step) => blocked === null || STEPS.indexOf(s) <= STEPS.indexOf(blocked);
  return (
    <nav aria-label="Task editor steps">
      <ol className="ow-steps">
        {STEPS.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              className="ow-step"
              aria-current={s === step ? 'step' : undefined}
              disabled={!reachable(s)}
              onClick={() => onGo(s)}
              data-testid={`task-step-${s}`}
            >
              {i + 1}. {STEP_LABELS[s]}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
