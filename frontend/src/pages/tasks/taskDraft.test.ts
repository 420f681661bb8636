import { describe, expect, it } from 'vitest';
import type { Task } from '../../api/types';
import { newDraft } from '../../components/operations/drafts';
import {
  type TaskDraft,
  draftChanged,
  draftOfTask,
  emptyTask,
  firstIncompleteStep,
  keepsPassedRun,
  scheduleProblems,
  stepProblems,
  toTaskInput,
} from './taskDraft';

function complete(): TaskDraft {
  const draft = emptyTask();
  return { ...draft, name: ' Weekly clean-up ', savedFilterId: 4, actions: [newDraft('suspend')] };
}

describe('task editor validation', () => {
  it('asks for a name, a saved filter and an action, step by step', () => {
    const draft = emptyTask();
    expect(firstIncompleteStep(draft)).toBe('name');
    expect(stepProblems(draft, 'name')).toEqual({ name: 'Give the task a name.' });
    expect(stepProblems({ ...draft, name: '   ' }, 'name')).toEqual({
      name: 'Give the task a name.',
    });
    expect(firstIncompleteStep({ ...draft, name: 'x' })).toBe('filter');
    expect(firstIncompleteStep({ ...draft, name: 'x', savedFilterId: 1 })).toBe('actions');
    expect(stepProblems({ ...draft, name: 'x', savedFilterId: 1 }, 'actions')).toEqual({
      actions: 'Add at least one action.',
    });
    expect(firstIncompleteStep(complete())).toBeNull();
  });

  it('refuses a name that is too long', () => {
    expect(stepProblems({ ...emptyTask(), name: 'n'.repeat(201) }, 'name').name).toMatch(
      /200 characters/,
    );
  });

  it('says what an incomplete action still needs', () => {
    const draft = { ...complete(), actions: [newDraft('suspend'), newDraft('addToGroups')] };
    expect(stepProblems(draft, 'actions')).toEqual({ actions: 'Choose at least one group.' });
  });

  it('checks each schedule kind’s fields', () => {
    const base = emptyTask().schedule;
    expect(scheduleProblems({ ...base, kind: 'manual', time: 'bogus' })).toEqual({});
    expect(scheduleProblems({ ...base, kind: 'once', date: '2027-02-30', time: '24:00' })).toEqual({
      date: 'Choose the date of the run.',
      time: 'Enter a time as HH:MM (24-hour clock).',
    });
    expect(scheduleProblems({ ...base, kind: 'weekly', weekdays: [] })).toEqual({
      weekdays: 'Choose at least one day of the week.',
    });
    expect(scheduleProblems({ ...base, kind: 'interval', every: '0' }).every).toBe(
      'Enter a whole number of weeks from 1 to 104.',
    );
    expect(scheduleProblems({ ...base, kind: 'interval', every: '105', unit: 'days' })).toEqual({});
    expect(
      scheduleProblems({ ...base, kind: 'interval', every: '61', unit: 'months' }).every,
    ).toMatch(/1 to 60/);
    expect(scheduleProblems({ ...base, kind: 'interval', every: '1.5' }).every).toMatch(
      /whole number/,
    );
    expect(
      scheduleProblems({ ...base, kind: 'interval', every: '2', startDate: '2027-13-01' })
        .startDate,
    ).toBeDefined();
    expect(
      scheduleProblems({ ...base, kind: 'interval', every: '2', startDate: '2027-01-31' }),
    ).toEqual({});
  });

  it('refuses a one-time run that has passed on the clocks of its zone, on the field to change', () => {
    const once = {
      ...emptyTask().schedule,
      kind: 'once' as const,
      date: '2027-03-04',
      time: '00:45',
    };
    // 23:30 UTC on March 3 is 00:30 on March 4 in Berlin, 18:30 on March 3 in New York.
    const now = Date.parse('2027-03-03T23:30:00Z');
    const berlin = { zone: 'Europe/Berlin', now };
    expect(scheduleProblems(once, berlin)).toEqual({});
    expect(scheduleProblems({ ...once, time: '00:30' }, berlin)).toEqual({
      time: 'This is in the past: it is now 00:30 on Thu 4 Mar 2027 in Europe/Berlin. Choose a later date or time.',
    });
    expect(scheduleProblems({ ...once, date: '2027-03-03', time: '23:59' }, berlin)).toEqual({
      date: 'This is in the past: it is now 00:30 on Thu 4 Mar 2027 in Europe/Berlin. Choose a later date or time.',
    });
    expect(
      scheduleProblems({ ...once, date: '2027-03-03', time: '23:59' }, { ...berlin, zone: 'UTC' }),
    ).toEqual({});
    expect(scheduleProblems({ ...once, time: '00:15' }, { zone: 'America/New_York', now })).toEqual(
      {},
    );
    // Without a known zone (Settings not read yet, one the browser lacks) the server judges.
    expect(scheduleProblems({ ...once, time: '00:15' }, { zone: undefined, now })).toEqual({});
    expect(scheduleProblems({ ...once, time: '00:15' }, { zone: 'Mars/Base', now })).toEqual({});
    // Only one-time runs: a weekly one at a past hour runs next week.
    expect(scheduleProblems({ ...once, kind: 'weekly', time: '00:15' }, berlin)).toEqual({});
  });

  it('keeps a task with a passed one-time run from being saved', () => {
    const schedule = { ...emptyTask().schedule, kind: 'once' as const, date: '2020-01-01' };
    const clock = { zone: 'UTC', now: Date.parse('2027-01-01T00:00:00Z') };
    expect(firstIncompleteStep({ ...complete(), schedule })).toBeNull();
    expect(firstIncompleteStep({ ...complete(), schedule }, clock)).toBe('schedule');
    expect(
      firstIncompleteStep({ ...complete(), schedule: { ...schedule, date: '2027-01-02' } }, clock),
    ).toBeNull();
  });

  it('lets a saved one-time task whose time has passed be saved again with that time unchanged', () => {
    const schedule = { ...emptyTask().schedule, kind: 'once' as const, date: '2020-01-01' };
    const saved = { ...complete(), schedule, timeZone: 'UTC' };
    const clock = { zone: 'UTC', now: Date.parse('2027-01-01T00:00:00Z'), saved };
    // Another name or reason: the past check does not apply, and the schedule step says why.
    const renamed = { ...saved, name: 'Renamed', reason: 'why' };
    expect(firstIncompleteStep(renamed, clock)).toBeNull();
    expect(keepsPassedRun(renamed, clock)).toBe(true);
    // Kind switched away and back: still the same schedule.
    const again = { ...renamed, schedule: { ...schedule, weekdays: ['tue' as const] } };
    expect(firstIncompleteStep(again, clock)).toBeNull();
    // A new time that has passed too, another zone, or a task that was inactive until now: the
    // run must lie ahead.
    const moved = { ...renamed, schedule: { ...schedule, time: '10:00' } };
    expect(firstIncompleteStep(moved, clock)).toBe('schedule');
    expect(stepProblems(moved, 'schedule', clock).date).toMatch(/^This is in the past/);
    expect(keepsPassedRun(moved, clock)).toBe(false);
    expect(firstIncompleteStep({ ...renamed, timeZone: 'Europe/Berlin' }, clock)).toBe('schedule');
    const wasOff = { ...clock, saved: { ...saved, active: false } };
    expect(firstIncompleteStep(renamed, wasOff)).toBe('schedule');
    // An inactive task has no next run to check.
    expect(firstIncompleteStep({ ...moved, active: false }, clock)).toBeNull();
    // A new task (nothing saved) is checked as before.
    expect(firstIncompleteStep(renamed, { ...clock, saved: undefined })).toBe('schedule');
    expect(keepsPassedRun(renamed, { ...clock, saved: undefined })).toBe(false);
  });

  it('says nothing of a saved one-time run that is still ahead', () => {
    const schedule = { ...emptyTask().schedule, kind: 'once' as const, date: '2027-06-01' };
    const saved = { ...complete(), schedule, timeZone: 'UTC' };
    const clock = { zone: 'UTC', now: Date.parse('2027-01-01T00:00:00Z'), saved };
    expect(keepsPassedRun(saved, clock)).toBe(false);
    expect(firstIncompleteStep(saved, clock)).toBeNull();
  });

  it('checks the window only when it is on, and refuses an empty one', () => {
    const weekly = { ...emptyTask().schedule, kind: 'weekly' as const, windowFrom: '8am' };
    expect(scheduleProblems(weekly)).toEqual({});
    expect(scheduleProblems({ ...weekly, windowOn: true }).windowFrom).toBeDefined();
    expect(
      scheduleProblems({ ...weekly, windowOn: true, windowFrom: '10:00', windowTo: '10:00' }),
    ).toEqual({
      windowTo: 'The window must end at another time than it starts.',
    });
  });
});

describe('toTaskInput', () => {
  it('trims, drops the empty reason and zone, and builds the schedule of its kind', () => {
    const draft = complete();
    draft.schedule = {
      ...draft.schedule,
      kind: 'interval',
      every: '3',
      unit: 'months',
      time: '06:00',
      startDate: '2027-01-31',
    };
    expect(toTaskInput(draft, 4)).toEqual({
      name: 'Weekly clean-up',
      savedFilterId: 4,
      actions: [{ type: 'suspend' }],
      schedule: {
        kind: 'interval',
        every: 3,
        unit: 'months',
        time: '06:00',
        startDate: '2027-01-31',
      },
      active: true,
      dryRunOnly: false,
    });
  });

  it('carries the window and zone, but no window for a manual task', () => {
    const draft = { ...complete(), reason: ' why ', timeZone: 'Europe/Berlin', dryRunOnly: true };
    draft.schedule = {
      ...draft.schedule,
      kind: 'once',
      date: '2027-03-03',
      time: '09:30',
      windowOn: true,
    };
    const input = toTaskInput(draft, 4);
    expect(input.schedule).toEqual({
      kind: 'once',
      at: '2027-03-03T09:30',
      window: { from: '08:00', to: '18:00' },
    });
    expect(input).toMatchObject({ reason: 'why', timeZone: 'Europe/Berlin', dryRunOnly: true });
    expect(
      toTaskInput({ ...draft, schedule: { ...draft.schedule, kind: 'manual' } }, 4).schedule,
    ).toEqual({ kind: 'manual' });
  });
});

describe('draftOfTask', () => {
  it('gives back the same request for a saved task', () => {
    const task: Task = {
      id: 9,
      name: 'Groups',
      savedFilterId: 2,
      actions: [
        { type: 'addToGroups', groupIds: ['g1'] },
        { type: 'removeAppAccess', targets: [{ siteId: 's', productKey: 'confluence' }] },
      ],
      reason: 'tidy',
      schedule: {
        kind: 'weekly',
        weekdays: ['mon', 'thu'],
        time: '07:15',
        window: { from: '06:00', to: '20:00' },
      },
      active: false,
      timeZone: 'UTC',
      dryRunOnly: true,
      createdAt: '2027-01-01T00:00:00Z',
      createdBy: 'acc-1',
      updatedAt: '2027-01-01T00:00:00Z',
      updatedBy: 'acc-1',
      actingAdmin: 'acc-1',
    };
    const input = toTaskInput(draftOfTask(task), 2);
    expect(input).toEqual({
      name: task.name,
      savedFilterId: 2,
      actions: task.actions,
      reason: 'tidy',
      schedule: task.schedule,
      active: false,
      timeZone: 'UTC',
      dryRunOnly: true,
    });
  });
});

describe('draftChanged', () => {
  it('sees any choice, but not new React keys of the same actions', () => {
    const initial = complete();
    expect(draftChanged(initial, initial)).toBe(false);
    expect(draftChanged({ ...initial, actions: [newDraft('suspend')] }, initial)).toBe(false);
    expect(draftChanged({ ...initial, actions: [newDraft('restore')] }, initial)).toBe(true);
    expect(draftChanged({ ...initial, reason: 'why' }, initial)).toBe(true);
    expect(draftChanged({ ...initial, active: false }, initial)).toBe(true);
    const schedule = { ...initial.schedule, time: '10:00' };
    expect(draftChanged({ ...initial, schedule }, initial)).toBe(true);
  });
});
