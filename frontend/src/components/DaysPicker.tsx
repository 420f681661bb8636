import { ErrorMessage as FieldError, Label } from '@atlaskit/form';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { useId, useState } from 'react';
import { INACTIVITY_PRESETS, MAX_DAYS, MIN_DAYS, parseDays } from '../filter';

/** An inactivity choice: none, at least N days, or never active. */
export type DaysValue = { kind: 'any' } | { kind: 'days'; days: number } | { kind: 'never' };

type OptionValue = 'any' | 'never' | 'custom' | number;
interface Option {
  label: string;
  value: OptionValue;
}

interface DaysPickerProps {
  label: string;
  value: DaysValue;
  onChange: (value: DaysValue) => void;
  /** Offer "Any" (no inactivity criterion). */
  allowAny?: boolean;
  /** Offer "Never active". */
  allowNever?: boolean;
  /** Shown, not changeable (a caller who may not change it). */
  isDisabled?: boolean;
  testId: string;
}

/** The inactivity ladder (3, 7, 14, 21 days, 1, 3, 6 months), custom N days, and optionally "Never active". */
export function DaysPicker({
  label,
  value,
  onChange,
  allowAny = false,
  allowNever = false,
  isDisabled = false,
  testId,
}: DaysPickerProps) {
  const selectId = useId();
  const customId = useId();
  const isPreset = value.kind === 'days' && INACTIVITY_PRESETS.some((p) => p.days === value.days);
  const [customMode, setCustomMode] = useState(value.kind === 'days' && !isPreset);
  const [customText, setCustomText] = useState(value.kind === 'days' ? String(value.days) : '');
  const [invalid, setInvalid] = useState(false);

  const days = value.kind === 'days' ? value.days : null;
  // Follow changes from outside (URL, chips): adjust the local state when the value changes.
  const valueKey = `${value.kind}:${days ?? ''}`;
  const [shownKey, setShownKey] = useState(valueKey);
  if (shownKey !== valueKey) {
    setShownKey(valueKey);
    if (days !== null) {
      setCustomText(String(days));
      if (!INACTIVITY_PRESETS.some((p) => p.days === days)) setCustomMode(true);
    } else {
      setCustomMode(false);
    }
    setInvalid(false);
  }

  const options: Option[] = [
    ...(allowAny ? [{ label: 'Any', value: 'any' as const }] : []),
    ...INACTIVITY_PRESETS.map((p) => ({ label: p.label, value: p.days })),
    { label: 'Custom number of days…', value: 'custom' as const },
    ...(allowNever ? [{ label: 'Never active', value: 'never' as const }] : []),
  ];
  const selected: OptionValue = customMode
    ? 'custom'
    : value.kind === 'days'
      ? value.days
      : value.kind;
  const current = options.find((o) => o.value === selected) ?? null;

  const commitCustom = () => {
    if (customText.trim() === '') {
      // Nothing typed: back to what is applied.
      setInvalid(false);
      if (!(value.kind === 'days' && !isPreset)) setCustomMode(false);
      return;
    }
    const days = parseDays(customText);
    setInvalid(days === null);
    if (days !== null && !(value.kind === 'days' && value.days === days))
      onChange({ kind: 'days', days });
  };

  return (
    <div className="ow-days" data-testid={testId}>
      <Label htmlFor={selectId}>{label}</Label>
      <div className="ow-days-row">
        <div className="ow-days-select">
          <Select<Option>
            inputId={selectId}
            options={options}
            value={current}
            isSearchable={false}
            isDisabled={isDisabled}
            spacing="compact"
            testId={testId}
            onChange={(option) => {
              if (!option) return;
              if (option.value === 'custom') {
                setCustomMode(true);
                return;
              }
              setCustomMode(false);
              if (option.value === 'any') onChange({ kind: 'any' });
              else if (option.value === 'never') onChange({ kind: 'never' });
              else onChange({ kind: 'days', days: option.value });
            }}
          />
        </div>
        {customMode && (
          <div className="ow-days-custom">
            <Textfield
              id={customId}
              aria-label="Days"
              type="number"
              min={MIN_DAYS}
              max={MAX_DAYS}
              isCompact
              width={144}
              value={customText}
              isInvalid={invalid}
              isDisabled={isDisabled}
              autoFocus
              onChange={(e) => setCustomText(e.currentTarget.value)}
              onBlur={commitCustom}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  commitCustom();
                }
              }}
              elemAfterInput={<span className="ow-days-unit">days</span>}
              testId={`${testId}-custom`}
            />
          </div>
        )}
      </div>
      {invalid && (
        <FieldError>
          Enter a whole number of days from {MIN_DAYS} to {MAX_DAYS.toLocaleString()}.
        </FieldError>
      )}
    </div>
  );
}
