import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import Textfield from '@atlaskit/textfield';
import { useId } from 'react';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** What is wrong with the value (shown under it), if anything. */
  problem?: string;
  help?: string;
  type?: 'text' | 'date' | 'time' | 'number';
  maxLength?: number;
  placeholder?: string;
  autoFocus?: boolean;
  testId: string;
}

/** A labelled text field with its help and problem, tied to it for screen readers. */
export function TextField({
  label,
  value,
  onChange,
  problem,
  help,
  type = 'text',
  maxLength,
  placeholder,
  autoFocus,
  testId,
}: TextFieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className="ow-task-field">
      <Label htmlFor={id}>{label}</Label>
      <Textfield
        id={id}
        type={type}
        value={value}
        maxLength={maxLength}
        placeholder={placeholder}
        autoFocus={autoFocus}
        isInvalid={problem !== undefined}
        aria-describedby={problem || help ? messageId : undefined}
        onChange={(e) => onChange(e.currentTarget.value)}
        testId={testId}
      />
      {problem ? (
        <FieldError testId={`${testId}-problem`}>
          <span id={messageId}>{problem}</span>
        </FieldError>
      ) : (
        help && (
          <HelperMessage>
            <span id={messageId}>{help}</span>
          </HelperMessage>
        )
      )}
    </div>
  );
}
