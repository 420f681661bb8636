import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, Label } from '@atlaskit/form';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import Textfield from '@atlaskit/textfield';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { revealAppTop } from '../../ap';
import type { ApiError } from '../../api/errors';
import { ErrorMessage } from '../../components/ErrorMessage';

/** The longest name the server accepts. */
const MAX_NAME = 100;

/** One way to finish the dialog, e.g. "Update “Leavers”" or "Save as new". */
export interface NameAction {
  label: string;
  testId: string;
  onSubmit: (name: string) => void;
  /** The main action (Enter submits it). */
  primary?: boolean;
  /** Not available yet. */
  isDisabled?: boolean;
}

interface FilterNameModalProps {
  title: string;
  initialName: string;
  actions: readonly NameAction[];
  /** Above the name field. */
  children?: ReactNode;
  isPending: boolean;
  error: ApiError | null;
  onClose: () => void;
  testId: string;
}

/** A dialog asking for a saved filter's name: save, update, save as new, or rename. */
export function FilterNameModal({
  title,
  initialName,
  actions,
  children,
  isPending,
  error,
  onClose,
  testId,
}: FilterNameModalProps) {
  const [name, setName] = useState(initialName);
  const [touched, setTouched] = useState(false);
  const fieldId = useId();
  const trimmed = name.trim();
  const invalid = trimmed === '' || trimmed.length > MAX_NAME;
  const primary = actions.find((a) => a.primary) ?? actions[0];
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);

  const run = (action: NameAction | undefined) => {
    setTouched(true);
    if (!action || action.isDisabled || invalid) return;
    action.onSubmit(trimmed);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    run(primary);
  };

  return (
    <Modal onClose={isPending ? undefined : onClose} width="small" testId={testId}>
      <form onSubmit={onSubmit} noValidate>
        <ModalHeader hasCloseButton>
          <ModalTitle>{title}</ModalTitle>
        </ModalHeader>
        <ModalBody>
          {children}
          <Label htmlFor={fieldId}>Name</Label>
          <Textfield
            id={fieldId}
            value={name}
            maxLength={MAX_NAME}
            autoFocus
            isInvalid={touched && invalid}
            onChange={(e) => setName(e.currentTarget.value)}
            testId="filter-name-input"
          />
          {touched && invalid && (
            <FieldError>Enter a name of 1 to {MAX_NAME} characters.</FieldError>
          )}
          {error && <ErrorMessage error={error} title="The filter could not be saved" />}
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={onClose} isDisabled={isPending}>
            Cancel
          </Button>
          {actions.map((action) => (
            <Button
              key={action.testId}
              type={action === primary ? 'submit' : 'button'}
              appearance={action === primary ? 'primary' : 'default'}
              onClick={action === primary ? undefined : () => run(action)}
              isDisabled={isPending || action.isDisabled}
              testId={action.testId}
            >
              {action.label}
            </Button>
          ))}
        </ModalFooter>
      </form>
    </Modal>
  );
}
