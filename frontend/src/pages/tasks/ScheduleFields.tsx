import { Checkbox } from '@atlaskit/checkbox';
import { ErrorMessage as FieldError, Label } from '@atlaskit/form';
import { Inline, Stack } from '@atlaskit/primitives';
import { Radio } from '@atlaskit/radio';
import Select from '@atlaskit/select';
import { useId, useMemo } from 'react';
import type { Schedule } from '../../api/types';
import { type ZoneOption, timeZones } from '../../timeZones';
import { WEEKDAYS, scheduleInWords } from './schedule';
import { type Problems, type ScheduleDraft, scheduleProblems, toSchedule } from './taskDraft';
import { TextField } from './TextField';

const KINDS: ReadonlyArray<{ value: Schedule['kind']; label: string }> = [
  { value: 'manual', label: 'Manual only (run it when you choose)' },
  { value: 'once', label: 'Once, at a date and time' },
  { value: 'weekly', label: 'Weekly, on chosen days' },
  { value: 'interval', label: 'Every N days, weeks or months' },
];

const UNITS: ReadonlyArray<{ value: ScheduleDraft['unit']; label: string }> = [
  { value: 'days', label: 'days' },
  { value: 'weeks', label: 'weeks' },
  { value: 'months', label: 'months' },
];

interface ScheduleFieldsProps {
  schedule: ScheduleDraft;
  onChange: (schedule: ScheduleDraft) => void;
  /** The task's zone; '' for the tenant's. */
  timeZone: string;
  onTimeZoneChange: (zone: string) => void;
  /** The tenant's zone and daily sync hour, from Settings. */
  tenantZone: string | undefined;
  syncHour: number | undefined;
  problems: Problems;
  /** The saved one-time run, kept as it was, has had its time (it will not run again). */
  passed?: boolean;
}

/** The days of a weekly schedule, as checkboxes. */
function Weekdays({
  schedule,
  onChange,
  problem,
}: {
  schedule: ScheduleDraft;
  onChange: (s: ScheduleDraft) => void;
  problem?: string;
}) {
  return (
    <fieldset className="ow-fieldset" data-testid="schedule-weekdays">
      <legend>On</legend>
      <Inline space="space.100" shouldWrap>
        {WEEKDAYS.map((day) => (
          <Checkbox
            key={day.value}
            label={day.short}
            aria-label={day.long}
            isChecked={schedule.weekdays.includes(day.value)}
            onChange={(e) =>
              onChange({
                ...schedule,
                weekdays: e.currentTarget.checked
                  ? [...schedule.weekdays, day.value]
                  : schedule.weekdays.filter((d) => d !== day.value),
              })
            }
            testId={`schedule-day-${day.value}`}
          />
        ))}
      </Inline>
      {problem && <FieldError>{problem}</FieldError>}
    </fieldset>
  );
}

/** Schedule kind, its date, days or interval, time, time zone and optional window. */
export function ScheduleFields({
  schedule,
  onChange,
  timeZone,
  onTimeZoneChange,
  tenantZone,
  syncHour,
  problems,
  passed = false,
}: ScheduleFieldsProps) {
  const kindName = useId();
  const zoneId = useId();
  const unitId = useId();
  const set = (patch: Partial<ScheduleDraft>) => onChange({ ...schedule, ...patch });
  const zones = useMemo<ZoneOption[]>(
    () => [
      { label: `The organization’s (${tenantZone ?? 'from Settings'})`, value: '' },
      ...timeZones(timeZone),
    ],
    [tenantZone, timeZone],
  );
  const valid = Object.keys(scheduleProblems(schedule)).length === 0;
  const timed = schedule.kind !== 'manual';

  return (
    <Stack space="space.200">
      <fieldset className="ow-fieldset" data-testid="schedule-kind">
        <legend>When it runs</legend>
        <Stack space="space.050">
          {KINDS.map((kind) => (
            <Radio
              key={kind.value}
              name={kindName}
              value={kind.value}
              label={kind.label}
              isChecked={schedule.kind === kind.value}
              onChange={() => set({ kind: kind.value })}
              testId={`schedule-kind-${kind.value}`}
            />
          ))}
        </Stack>
      </fieldset>

      {schedule.kind === 'once' && (
        <TextField
          label="Date"
          type="date"
          value={schedule.date}
          onChange={(date) => set({ date })}
          problem={problems.date}
          testId="schedule-date"
        />
      )}
      {schedule.kind === 'once' && passed && (
        <p className="ow-subtle" data-testid="schedule-passed">
          This one-time task’s time has passed; it will not run again unless you choose a new date
          and time.
        </p>
      )}
      {schedule.kind === 'weekly' && (
        <Weekdays schedule={schedule} onChange={onChange} problem={problems.weekdays} />
      )}
      {schedule.kind === 'interval' && (
        <Inline space="space.150" alignBlock="start" shouldWrap>
          <TextField
            label="Every"
            type="number"
            value={schedule.every}
            onChange={(every) => set({ every })}
            problem={problems.every}
            testId="schedule-every"
          />
          <div className="ow-task-field">
            <Label htmlFor={unitId}>Unit</Label>
            <Select
              inputId={unitId}
              options={UNITS}
              value={UNITS.find((u) => u.value === schedule.unit)}
              isSearchable={false}
              onChange={(o) => o && set({ unit: o.value })}
              testId="schedule-unit"
            />
          </div>
          <TextField
            label="Starting (optional)"
            type="date"
            value={schedule.startDate}
            onChange={(startDate) => set({ startDate })}
            problem={problems.startDate}
            help="Empty: from today."
            testId="schedule-start"
          />
        </Inline>
      )}
      {timed && (
        <Inline space="space.150" alignBlock="start" shouldWrap>
          <TextField
            label="At"
            type="time"
            value={schedule.time}
            onChange={(time) => set({ time })}
            problem={problems.time}
            testId="schedule-time"
          />
          <div className="ow-task-field ow-task-zone">
            <Label htmlFor={zoneId}>Time zone</Label>
            <Select<ZoneOption>
              inputId={zoneId}
              options={zones}
              value={zones.find((z) => z.value === timeZone)}
              onChange={(o) => onTimeZoneChange(o?.value ?? '')}
              testId="schedule-zone"
            />
          </div>
        </Inline>
      )}
      {timed && (
        <Stack space="space.100">
          <Checkbox
            label="Only start runs within a daily window"
            isChecked={schedule.windowOn}
            onChange={(e) => set({ windowOn: e.currentTarget.checked })}
            testId="schedule-window"
          />
          {schedule.windowOn && (
            <Inline space="space.150" alignBlock="start" shouldWrap>
              <TextField
                label="From"
                type="time"
                value={schedule.windowFrom}
                onChange={(windowFrom) => set({ windowFrom })}
                problem={problems.windowFrom}
                testId="schedule-window-from"
              />
              <TextField
                label="To"
                type="time"
                value={schedule.windowTo}
                onChange={(windowTo) => set({ windowTo })}
                problem={problems.windowTo}
                testId="schedule-window-to"
              />
            </Inline>
          )}
          <p className="ow-subtle">
            A run due outside the window starts when it next opens.
            {syncHour !== undefined &&
              ` Runs never start during the daily sync (${String(syncHour).padStart(2, '0')}:00, ${tenantZone ?? 'UTC'}); they wait for it to end.`}
          </p>
        </Stack>
      )}
      {valid && (
        <p data-testid="schedule-words">
          <strong>
            {scheduleInWords(toSchedule(schedule), timed ? timeZone || tenantZone : undefined)}
          </strong>
        </p>
      )}
    </Stack>
  );
}
