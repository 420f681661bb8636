import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { showFlag } from '../../ap';
import { useGroups } from '../../api/operationQueries';
import { useSettings } from '../../api/queries';
import { useSavedFilters } from '../../api/savedFilters';
import { useSaveTask, useTask } from '../../api/tasks';
import type { Task } from '../../api/types';
import { useGroupCatalog } from '../../catalog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RestoredDraftMessage } from '../../components/RestoredDraftMessage';
import { useNow } from '../../hooks';
import { useDraftOwner, useKeptDraft } from '../../keptDrafts';
import { useRouter } from '../../route';
import { useUnsavedChanges } from '../../unsavedChanges';
import { ActionEditor } from '../../components/operations/ActionEditor';
import { ReviewStep } from './ReviewStep';
import { restoredTaskDraft, storedTaskDraft, taskDraftPlace } from './keptTaskDraft';
import { BackToTasks, useIsOrgAdmin } from './parts';
import { SavedFilterPicker } from './SavedFilterPicker';
import { ScheduleFields } from './ScheduleFields';
import { STEP_LABELS, StepNav } from './StepNav';
import {
  MAX_NAME,
  MAX_REASON,
  STEPS,
  type Clock,
  type Step,
  type TaskDraft,
  draftChanged,
  draftOfTask,
  emptyTask,
  firstIncompleteStep,
  keepsPassedRun,
  stepProblems,
  toTaskInput,
} from './taskDraft';
import { TextField } from './TextField';

/** The saved filter a new task starts from (`&saved=<id>`, from the User Browser), if any. */
function savedParam(params: URLSearchParams): number | null {
  const id = Number(params.get('saved'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** The editor's form: one step at a time, each checked before the next. */
function EditorForm({ task }: { task?: Task }) {
  const { navigate, route } = useRouter();
  const [initial] = useState<TaskDraft>(() =>
    task ? draftOfTask(task) : { ...emptyTask(), savedFilterId: savedParam(route.params) },
  );
  // Kept in the tab: leaving through Jira's menus or a reload does not lose it. Made against the
  // task as it was when the editor opened.
  const owner = useDraftOwner();
  const [place] = useState(() => taskDraftPlace(owner, task, initial.savedFilterId));
  const kept = useKeptDraft({
    ...place,
    initial,
    toStored: storedTaskDraft,
    fromStored: restoredTaskDraft,
    changed: draftChanged,
  });
  const { value: draft, setValue: setDraft } = kept;
  // The Cancel button, the menu and the back button all navigate: the router asks before any.
  const { leaveSaved } = useUnsavedChanges(draftChanged(draft, initial), kept.forget);
  const [step, showStep] = useState<Step>('name');
  // The saved filter's `updatedAt` when the review step showed it: should another admin change
  // the filter before the save, the server refuses it rather than run the task on what nobody
  // reviewed.
  const [reviewedAt, setReviewedAt] = useState<string | null>(null);
  const filters = useSavedFilters();
  const setStep = (next: Step) => {
    showStep(next);
    const shown = filters.data?.find((f) => f.id === draft.savedFilterId);
    setReviewedAt(next === 'review' ? (shown?.updatedAt ?? null) : null);
  };
  const [tried, setTried] = useState<ReadonlySet<Step>>(new Set());
  const heading = useRef<HTMLHeadingElement>(null);
  const catalog = useGroupCatalog();
  const groups = useGroups();
  const settings = useSettings();
  const save = useSaveTask();
  const first = useRef(true);

  useEffect(() => {
    // Keyboard and screen-reader users land on the new step.
    if (!first.current) heading.current?.focus();
    first.current = false;
  }, [step]);

  const patch = (change: Partial<TaskDraft>) => setDraft((d) => ({ ...d, ...change }));
  // The schedule's times are on the clocks of the task's zone, else the organization's.
  const zone = draft.timeZone || settings.data?.timeZone;
  const now = useNow();
  const clock: Clock = { zone, now, saved: task ? initial : undefined };
  const problems = tried.has(step) ? stepProblems(draft, step, clock) : {};
  const index = STEPS.indexOf(step);
  const blocked = firstIncompleteStep(draft, clock);

  const discardRestored = () => {
    kept.discard();
    setTried(new Set());
    setStep('name');
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTried((t) => new Set(t).add(step));
    if (Object.keys(stepProblems(draft, step, clock)).length > 0) return;
    const next = STEPS[index + 1];
    if (next) {
      setStep(next);
      return;
    }
    if (blocked !== null || draft.savedFilterId === null) {
      // Back to the step to fix (a one-time run's time may have passed meanwhile), saying why.
      const fix = blocked ?? 'filter';
      setTried((t) => new Set(t).add(fix));
      return setStep(fix);
    }
    const input = toTaskInput(draft, draft.savedFilterId);
    save.mutate(
      { id: task?.id, input: reviewedAt ? { ...input, filterUpdatedAt: reviewedAt } : input },
      {
        onSuccess: (saved) => {
          kept.forget();
          void showFlag({ type: 'success', title: `Task “${saved.name}” saved` });
          leaveSaved(() => navigate('tasks', { task: String(saved.id) }));
        },
      },
    );
  };

  let body;
  if (step === 'name') {
    body = (
      <TextField
        label="Name"
        value={draft.name}
        onChange={(name) => patch({ name })}
        problem={problems.name}
        maxLength={MAX_NAME}
        placeholder="e.g. Suspend people inactive for 90 days"
        autoFocus
        testId="task-name"
      />
    );
  } else if (step === 'filter') {
    body = (
      <SavedFilterPicker
        value={draft.savedFilterId}
        onChange={(savedFilterId) => patch({ savedFilterId })}
        problem={problems.savedFilterId}
      />
    );
  } else if (step === 'actions') {
    body = (
      <Stack space="space.200">
        {groups.isError && (
          <ErrorMessage error={groups.error} title="The groups could not be loaded" />
        )}
        <ActionEditor
          drafts={draft.actions}
          onChange={(actions) => patch({ actions })}
          catalog={catalog}
          groups={catalog.groups}
          showMissing={tried.has('actions')}
        />
        {problems.actions && draft.actions.length === 0 && (
          <p className="ow-error-text" role="alert">
            {problems.actions}
          </p>
        )}
        <TextField
          label="Reason (recorded with every change)"
          value={draft.reason}
          onChange={(reason) => patch({ reason })}
          problem={problems.reason}
          maxLength={MAX_REASON}
          placeholder="e.g. License hygiene"
          testId="task-reason"
        />
      </Stack>
    );
  } else if (step === 'schedule') {
    body = (
      <ScheduleFields
        schedule={draft.schedule}
        onChange={(schedule) => patch({ schedule })}
        timeZone={draft.timeZone}
        onTimeZoneChange={(timeZone) => patch({ timeZone })}
        tenantZone={settings.data?.timeZone}
        syncHour={settings.data?.syncHour}
        problems={problems}
        passed={keepsPassedRun(draft, clock)}
      />
    );
  } else if (draft.savedFilterId !== null) {
    body = (
      <ReviewStep
        input={toTaskInput(draft, draft.savedFilterId)}
        zone={zone}
        onActive={(active) => patch({ active })}
        onDryRunOnly={(dryRunOnly) => patch({ dryRunOnly })}
      />
    );
  }

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="task-step-heading"
      data-testid="task-editor"
    >
      <Stack space="space.300">
        {kept.restoredAt !== null && (
          <RestoredDraftMessage savedAt={kept.restoredAt} onDiscard={discardRestored} />
        )}
        <StepNav step={step} blocked={blocked} onGo={setStep} />
        <Heading size="medium" as="h2" id="task-step-heading">
          <span ref={heading} tabIndex={-1}>
            {STEP_LABELS[step]}
          </span>
        </Heading>
        {body}
        {save.error && <ErrorMessage error={save.error} title="The task could not be saved" />}
        <Inline space="space.100">
          {index > 0 && (
            <Button
              onClick={() => setStep(STEPS[index - 1] ?? 'name')}
              isDisabled={save.isPending}
              testId="task-previous"
            >
              Back
            </Button>
          )}
          <Button
            type="submit"
            appearance="primary"
            isLoading={save.isPending}
            testId={step === 'review' ? 'task-save' : 'task-next'}
          >
            {step === 'review' ? (task ? 'Save changes' : 'Create task') : 'Next'}
          </Button>
          <Button
            appearance="subtle"
            onClick={() => navigate('tasks', task ? { task: String(task.id) } : {})}
            isDisabled={save.isPending}
          >
            Cancel
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}

/** Creates a task (no `id`) or edits one. */
export function TaskEditor({ id }: { id?: number }) {
  const task = useTask(id ?? 0, id !== undefined);
  const admin = useIsOrgAdmin();
  let content;
  if (id === undefined) content = <EditorForm />;
  else if (task.isPending) content = <Spinner size="large" label="Loading the task" />;
  else if (task.data) content = <EditorForm task={task.data} />;
  else if (task.error)
    content = (
      <ErrorMessage
        error={task.error}
        title="The task could not be loaded"
        onRetry={() => void task.refetch()}
      />
    );
  if (!admin)
    content = (
      <SectionMessage
        appearance="information"
        title="Only organization admins create and change tasks"
      >
        <p>You can see every task and its runs.</p>
      </SectionMessage>
    );
  return (
    <Stack space="space.300" testId="task-editor-page">
      <BackToTasks />
      <Heading size="large" as="h1">
        {id === undefined ? 'Create task' : `Edit “${task.data?.name ?? '…'}”`}
      </Heading>
      {content}
    </Stack>
  );
}
