import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import { Stack } from '@atlaskit/primitives';
import { Radio } from '@atlaskit/radio';
import Textfield from '@atlaskit/textfield';
import { type FormEvent, useId, useState } from 'react';
import { useCreateToken } from '../../api/tokens';
import type { CreatedToken, TokenInput, TokenScope } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { todayIso } from '../../expiry';
import { useUnsavedChanges } from '../../unsavedChanges';
import './settings.css';

/** Longest token name the form takes. */
const MAX_NAME = 100;

type Access = 'read' | 'write';

const ACCESS: Array<{ value: Access; label: string; help: string; scopes: TokenScope[] }> = [
  {
    value: 'read',
    label: 'Read',
    help: 'Reads users, counts, operations and settings; changes nothing.',
    scopes: ['read'],
  },
  {
    value: 'write',
    label: 'Read and write',
    help: 'Can also make changes, such as starting syncs and bulk operations.',
    scopes: ['read', 'write'],
  },
];

interface FieldErrors {
  name?: string;
  expiresAt?: string;
}

function validate(name: string, expiresAt: string): FieldErrors {
  const errors: FieldErrors = {};
  if (name.trim() === '') errors.name = 'Enter a name for the token.';
  if (expiresAt !== '' && expiresAt < todayIso()) errors.expiresAt = 'This date is in the past.';
  return errors;
}

/** Name, scopes, optional expiry date; `onCreated` gets the new token with its secret. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const ids = { name: useId(), expiresAt: useId(), scopes: useId() };
  const [name, setName] = useState('');
  const [access, setAccess] = useState<Access>('read');
  const [expiresAt, setExpiresAt] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  useUnsavedChanges(name !== '' || access !== 'read' || expiresAt !== '');
  const create = useCreateToken();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const errors = validate(name, expiresAt);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    const scopes = ACCESS.find((a) => a.value === access)?.scopes ?? ['read'];
    const body: TokenInput = {
      name: name.trim(),
      scopes,
      ...(expiresAt === '' ? {} : { expiresAt }),
    };
    create.mutate(body, {
      onSuccess: (created) => {
        // The secret goes to the modal only; the mutation forgets it.
        create.reset();
        setName('');
        setAccess('read');
        setExpiresAt('');
        onCreated(created);
      },
    });
  };

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Create an API token"
      className="ow-token-form"
      data-testid="token-form"
    >
      <Stack space="space.200">
        <div>
          <Label htmlFor={ids.name}>Name</Label>
          <Textfield
            id={ids.name}
            name="name"
            value={name}
            maxLength={MAX_NAME}
            isRequired
            isInvalid={fieldErrors.name !== undefined}
            placeholder="What uses it, e.g. Nightly export script"
            onChange={(event) => {
              setName(event.currentTarget.value);
              setFieldErrors((errors) => ({ ...errors, name: undefined }));
            }}
            testId="token-name"
          />
          {fieldErrors.name && <FieldError>{fieldErrors.name}</FieldError>}
        </div>
        <fieldset className="ow-fieldset">
          <legend>Access</legend>
          <Stack space="space.100">
            {ACCESS.map((option) => (
              <div key={option.value}>
                <Radio
                  name={ids.scopes}
                  value={option.value}
                  label={option.label}
                  isChecked={access === option.value}
                  onChange={() => setAccess(option.value)}
                  aria-describedby={`${ids.scopes}-${option.value}-help`}
                  testId={`token-scope-${option.value}`}
                />
                <p id={`${ids.scopes}-${option.value}-help`} className="ow-help ow-radio-help">
                  {option.help}
                </p>
              </div>
            ))}
          </Stack>
        </fieldset>
        <div>
          <Label htmlFor={ids.expiresAt}>Expiry date (optional)</Label>
          <Textfield
            id={ids.expiresAt}
            name="expiresAt"
            type="date"
            min={todayIso()}
            width="medium"
            isInvalid={fieldErrors.expiresAt !== undefined}
            value={expiresAt}
            onChange={(event) => {
              setExpiresAt(event.currentTarget.value);
              setFieldErrors((errors) => ({ ...errors, expiresAt: undefined }));
            }}
            testId="token-expiry"
          />
          {fieldErrors.expiresAt ? (
            <FieldError>{fieldErrors.expiresAt}</FieldError>
          ) : (
            <HelperMessage>
              The last day the token works. Leave it empty for a token that works until it is
              revoked.
            </HelperMessage>
          )}
        </div>
        {create.error && (
          <ErrorMessage error={create.error} title="The token could not be created" />
        )}
        <div>
          <Button
            type="submit"
            appearance="primary"
            isLoading={create.isPending}
            testId="token-create"
          >
            Create token
          </Button>
        </div>
      </Stack>
    </form>
  );
}
