// The task editor's form state, its validation per step, and the request it makes.
import type { Action, Schedule, Task, TaskInput, Weekday } from '../../api/types';
import {
  type Draft,
  missing,
  newDraft,
  storedActions,
  toAction,
} from '../../components/operations/drafts';
import { wallClockIn } from '../../timeZones';
import { dateInWords } from './schedule';

/** Longest task name and reason the editor accepts. */
export const MAX_NAME = 200;
export const MAX_REASON = 1000;
/** The largest "every N" of an interval schedule, per unit (as the server accepts). */
export const MAX_EVERY = { days: 366, weeks: 104, months: 60 } as const;

/** The schedule as the form holds it (text fields as typed). */
export interface ScheduleDraft {
  kind: Schedule['kind'];
  /** `once`: date and time. */
  date: string;
  time: string;
  weekdays: Weekday[];
  every: string;
  unit: 'days' | 'weeks' | 'months';
  startDate: string;
  windowOn: boolean;
  windowFrom: string;
  windowTo: string;
}

/** The whole editor's state. */
export interface TaskDraft {
  name: string;
  savedFilterId: number | null;
  actions: Draft[];
  reason: string;
  schedule: ScheduleDraft;
  /** Empty: the tenant's time zone. */
  timeZone: string;
  active: boolean;
  dryRunOnly: boolean;
}

/** The editor's steps in order. */
export const STEPS = ['name', 'filter', 'actions', 'schedule', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** Field → what is wrong with it. */
export type Problems = Partial<Record<string, string>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

/** A new task: manual, active, no filter or action yet. */
export function emptyTask(): TaskDraft {
  return {
    name: '',
    savedFilterId: null,
    actions: [],
    reason: '',
    schedule: {
      kind: 'manual',
      date: '',
      time: '09:00',
      weekdays: ['mon'],
      every: '1',
      unit: 'weeks',
      startDate: '',
      windowOn: false,
      windowFrom: '08:00',
      windowTo: '18:00',
    },
    timeZone: '',
    active: true,
    dryRunOnly: false,
  };
}

/** The editor's draft of an action the API holds. */
function draftOfAction(action: Action): Draft {
  const draft = newDraft(action.type);
  if (action.type === 'removeAppAccess')
    return { ...draft, allApps: action.all === true, targets: action.targets ?? [] };
  if (action.type === 'addToGroups' || action.type === 'removeFromGroups')
    return { ...draft, groupIds: action.groupIds };
  return draft;
}

/** The form's state for a saved task (to edit it). */
export function draftOfTask(task: Task): TaskDraft {
  const base = emptyTask();
  const s = task.schedule;
  const schedule: ScheduleDraft = { ...base.schedule, kind: s.kind };
  if (s.kind === 'once') [schedule.date, schedule.time] = [s.at.slice(0, 10), s.at.slice(11, 16)];
  if (s.kind === 'weekly') Object.assign(schedule, { weekdays: s.weekdays, time: s.time });
  if (s.kind === 'interval')
    Object.assign(schedule, {
      every: String(s.every),
      unit: s.unit,
      time: s.time,
      startDate: s.startDate ?? '',
    });
  if (s.window)
    Object.assign(schedule, { windowOn: true, windowFrom: s.window.from, windowTo: s.window.to });
  return {
    name: task.name,
    savedFilterId: task.savedFilterId,
    actions: task.actions.map(draftOfAction),
    reason: task.reason ?? '',
    schedule,
    timeZone: task.timeZone,
    active: task.active,
    dryRunOnly: task.dryRunOnly === true,
  };
}

/** True when `draft` differs from `initial` in anything the admin chose (React keys aside). */
export function draftChanged(draft: TaskDraft, initial: TaskDraft): boolean {
  const comparable = (d: TaskDraft) => JSON.stringify({ ...d, actions: storedActions(d.actions) });
  return comparable(draft) !== comparable(initial);
}

/**
 * What a schedule is checked against: the zone its times are in (undefined: unknown yet), now,
 * and for a task being edited the task as saved.
 */
export interface Clock {
  zone: string | undefined;
  now: number;
  saved?: Pick<TaskDraft, 'schedule' | 'timeZone' | 'active'>;
}

/** The zone's wall clock now (`YYYY-MM-DDTHH:MM`), when the zone is known. */
function wallClockNow(clock: Clock): string | null {
  return clock.zone === undefined ? null : wallClockIn(clock.zone, clock.now);
}

/**
 * A one-time run whose instant has come already on the zone's clocks, on the field to change
 * (the date when it is before today there): the server would never start it.
 */
function pastProblem(s: ScheduleDraft, clock: Clock): Problems {
  const now = wallClockNow(clock);
  if (now === null || `${s.date}T${s.time}` > now) return {};
  const [today = '', time = ''] = now.split('T');
  const field = s.date < today ? 'date' : 'time';
  return {
    [field]: `This is in the past: it is now ${time} on ${dateInWords(today)} in ${clock.zone}. Choose a later date or time.`,
  };
}

/** What is wrong with the schedule's fields; with a clock, also a one-time run that has passed. */
export function scheduleProblems(s: ScheduleDraft, clock?: Clock): Problems {
  const problems: Problems = {};
  if (s.kind === 'manual') return problems;
  if (!TIME.test(s.time)) problems.time = 'Enter a time as HH:MM (24-hour clock).';
  if (s.kind === 'once' && !isDate(s.date)) problems.date = 'Choose the date of the run.';
  if (s.kind === 'once' && clock && !problems.time && !problems.date)
    Object.assign(problems, pastProblem(s, clock));
  if (s.kind === 'weekly' && s.weekdays.length === 0)
    problems.weekdays = 'Choose at least one day of the week.';
  if (s.kind === 'interval') {
    const every = Number(s.every);
    const max = MAX_EVERY[s.unit];
    if (!Number.isInteger(every) || every < 1 || every > max)
      problems.every = `Enter a whole number of ${s.unit} from 1 to ${max}.`;
    if (s.startDate !== '' && !isDate(s.startDate))
      problems.startDate = 'Enter the start date as YYYY-MM-DD, or leave it empty.';
  }
  if (s.windowOn) {
    if (!TIME.test(s.windowFrom)) problems.windowFrom = 'Enter the window’s opening as HH:MM.';
    if (!TIME.test(s.windowTo)) problems.windowTo = 'Enter the window’s closing as HH:MM.';
    if (!problems.windowFrom && !problems.windowTo && s.windowFrom === s.windowTo) {
      problems.windowTo = 'The window must end at another time than it starts.';
    }
  }
  return problems;
}

/** True when the draft keeps the saved task's schedule and zone as they were. */
function keepsSavedSchedule(draft: TaskDraft, clock: Clock): boolean {
  const saved = clock.saved;
  if (!saved || saved.timeZone !== draft.timeZone) return false;
  const [before, now] = [saved.schedule, draft.schedule];
  if (Object.keys(scheduleProblems(before)).length > 0) return false;
  if (Object.keys(scheduleProblems(now)).length > 0) return false;
  return JSON.stringify(toSchedule(before)) === JSON.stringify(toSchedule(now));
}

/**
 * Whether a one-time run must still lie ahead, as the server decides: only for an active task, and
 * not when an active task keeps its saved schedule (a run that has had its time stays as it was).
 */
function mustLieAhead(draft: TaskDraft, clock: Clock): boolean {
  if (!draft.active) return false;
  return !(clock.saved?.active === true && keepsSavedSchedule(draft, clock));
}

/**
 * The saved task's one-time run, kept as it was, whose time has passed: it may be saved again
 * as it is, and will not run again.
 */
export function keepsPassedRun(draft: TaskDraft, clock: Clock): boolean {
  const now = wallClockNow(clock);
  const s = draft.schedule;
  return (
    s.kind === 'once' &&
    now !== null &&
    keepsSavedSchedule(draft, clock) &&
    `${s.date}T${s.time}` <= now
  );
}

/** What is wrong on one step of the editor (an empty object when it is complete). */
export function stepProblems(draft: TaskDraft, step: Step, clock?: Clock): Problems {
  switch (step) {
    case 'name': {
      const name = draft.name.trim();
      if (name === '') return { name: 'Give the task a name.' };
      if (name.length > MAX_NAME) return { name: `Keep the name to ${MAX_NAME} characters.` };
      return {};
    }
    case 'filter':
      return draft.savedFilterId === null
        ? { savedFilterId: 'Choose the saved filter whose users the task acts on.' }
        : {};
    case 'actions': {
      if (draft.actions.length === 0) return { actions: 'Add at least one action.' };
      const incomplete = draft.actions.map(missing).find((m) => m !== null);
      const problems: Problems = incomplete ? { actions: incomplete } : {};
      if (draft.reason.trim().length > MAX_REASON)
        problems.reason = `Keep the reason to ${MAX_REASON} characters.`;
      return problems;
    }
    case 'schedule':
      return scheduleProblems(
        draft.schedule,
        clock && mustLieAhead(draft, clock) ? clock : undefined,
      );
    case 'review':
      return {};
  }
}

/** The first step with a problem, or null when the task can be saved. */
export function firstIncompleteStep(draft: TaskDraft, clock?: Clock): Step | null {
  return STEPS.find((step) => Object.keys(stepProblems(draft, step, clock)).length > 0) ?? null;
}

/** The API schedule of a valid draft. */
export function toSchedule(s: ScheduleDraft): Schedule {
  const window =
    s.windowOn && s.kind !== 'manual' ? { window: { from: s.windowFrom, to: s.windowTo } } : {};
  switch (s.kind) {
    case 'manual':
      return { kind: 'manual' };
    case 'once':
      return { kind: 'once', at: `${s.date}T${s.time}`, ...window };
    case 'weekly':
      return { kind: 'weekly', weekdays: s.weekdays, time: s.time, ...window };
    case 'interval':
      return {
        kind: 'interval',
        every: Number(s.every),
        unit: s.unit,
        time: s.time,
        ...(s.startDate === '' ? {} : { startDate: s.startDate }),
        ...window,
      };
  }
}

/** The request of a valid draft (the saved filter must be chosen). */
export function toTaskInput(draft: TaskDraft, savedFilterId: number): TaskInput {
  const reason = draft.reason.trim();
  return {
    name: draft.name.trim(),
    savedFilterId,
    actions: draft.actions.map(toAction),
    ...(reason === '' ? {} : { reason }),
    schedule: toSchedule(draft.schedule),
    active: draft.active,
    ...(draft.timeZone === '' ? {} : { timeZone: draft.timeZone }),
    dryRunOnly: draft.dryRunOnly,
  };
}
