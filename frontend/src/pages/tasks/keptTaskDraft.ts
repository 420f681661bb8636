// The task editor's draft as it is kept in the tab (keptDrafts.ts): where, and in what form.
import type { Task } from '../../api/types';
import { restoredActions, storedActions } from '../../components/operations/drafts';
import { type ScheduleDraft, type TaskDraft, emptyTask } from './taskDraft';

/**
 * Where the editor keeps its draft: one slot per task (and one for a new task), made by `owner`
 * (`useDraftOwner`) against the task as saved (a task saved again since, by anyone, drops the
 * draft: restoring it would undo that save) or, for a new task, the saved filter it started from.
 */
export function taskDraftPlace(
  owner: string,
  task: Task | undefined,
  savedFilterId: number | null,
): { slot: string; scope: string } {
  if (task) return { slot: `task.${task.id}`, scope: `${owner} ${task.updatedAt}` };
  return { slot: 'task.new', scope: `${owner} filter:${savedFilterId ?? ''}` };
}

/** The draft as stored: its actions without React keys. */
export function storedTaskDraft(draft: TaskDraft): unknown {
  return { ...draft, actions: storedActions(draft.actions) };
}

const TEXTS = ['date', 'time', 'every', 'startDate', 'windowFrom', 'windowTo'] as const;

function restoredSchedule(stored: unknown): ScheduleDraft | null {
  const base = emptyTask().schedule;
  const s = stored as Partial<ScheduleDraft> | null;
  if (!s || !['manual', 'once', 'weekly', 'interval'].includes(s.kind ?? '')) return null;
  if (TEXTS.some((field) => typeof s[field] !== 'string')) return null;
  if (typeof s.windowOn !== 'boolean' || !Array.isArray(s.weekdays)) return null;
  if (!['days', 'weeks', 'months'].includes(s.unit ?? '')) return null;
  return { ...base, ...s } as ScheduleDraft;
}

/** A stored draft back, with new React keys; null when `stored` is not one. */
export function restoredTaskDraft(stored: unknown): TaskDraft | null {
  const d = stored as Partial<Record<keyof TaskDraft, unknown>> | null;
  if (!d || typeof d.name !== 'string' || typeof d.reason !== 'string') return null;
  if (typeof d.timeZone !== 'string' || typeof d.active !== 'boolean') return null;
  if (typeof d.dryRunOnly !== 'boolean') return null;
  if (d.savedFilterId !== null && typeof d.savedFilterId !== 'number') return null;
  const actions = restoredActions(d.actions);
  const schedule = restoredSchedule(d.schedule);
  if (!actions || !schedule) return null;
  return {
    name: d.name,
    savedFilterId: d.savedFilterId,
    actions,
    reason: d.reason,
    schedule,
    timeZone: d.timeZone,
    active: d.active,
    dryRunOnly: d.dryRunOnly,
  };
}
