import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import { Inline, Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { type FormEvent, useId, useState } from 'react';
import { showFlag } from '../../ap';
import { useCheckApiKey, useSaveApiKey } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { todayIso } from '../../expiry';
import { useUnsavedChanges } from '../../unsavedChanges';

interface ApiKeyFormProps {
  /** Shown when replacing a saved key: lets the user go back to it. */
  onCancel?: () => void;
  /** After a successful save. */
  onSaved?: () => void;
}

interface FieldErrors {
  key?: string;
  expiresAt?: string;
}

function validate(key: string, expiresAt: string): FieldErrors {
  const errors: FieldErrors = {};
  if (key.trim() === '') errors.key = 'Enter the API key.';
  if (expiresAt === '') errors.expiresAt = 'Enter the date the key expires.';
  else if (expiresAt < todayIso())
    errors.expiresAt = 'This date is in the past: the key has expired.';
  return errors;
}

/** Key + expiry date, "Check API key" and "Save". */
export function ApiKeyForm({ onCancel, onSaved }: ApiKeyFormProps) {
  const ids = { key: useId(), expiresAt: useId() };
  const [key, setKey] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  // Only whether something was typed: the key itself is never kept anywhere.
  const { confirmDiscard } = useUnsavedChanges(key !== '' || expiresAt !== '');
  const check = useCheckApiKey();
  const save = useSaveApiKey((view) => {
    void showFlag({
      type: 'success',
      title: 'Organization API key saved',
      body: `orgwarden is connected to ${view.orgName}.`,
    });
    setKey('');
    setExpiresAt('');
    onSaved?.();
  });

  const input = () => {
    const errors = validate(key, expiresAt);
    setFieldErrors(errors);
    return Object.keys(errors).length === 0 ? { key: key.trim(), expiresAt } : null;
  };

  const onEdit = () => {
    // A result belongs to the values that were checked or saved.
    check.reset();
    save.reset();
  };

  const onCheck = () => {
    const body = input();
    if (body) check.mutate(body);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body = input();
    if (!body) return;
    save.mutate(body);
  };

  const busy = check.isPending || save.isPending;
  const checked = check.data;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Organization API key">
      <Stack space="space.200">
        <div>
          <Label htmlFor={ids.key}>API key</Label>
          <Textfield
            id={ids.key}
            name="key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            isMonospaced
            isRequired
            isInvalid={fieldErrors.key !== undefined}
            value={key}
            onChange={(event) => {
              setKey(event.currentTarget.value);
              setFieldErrors((errors) => ({ ...errors, key: undefined }));
              onEdit();
            }}
            testId="api-key-input"
          />
          {fieldErrors.key ? (
            <FieldError>{fieldErrors.key}</FieldError>
          ) : (
            <HelperMessage>
              Create one in Atlassian Administration → Settings → API keys. It is stored encrypted
              and never shown again.
            </HelperMessage>
          )}
        </div>
        <div>
          <Label htmlFor={ids.expiresAt}>Expiry date</Label>
          <Textfield
            id={ids.expiresAt}
            name="expiresAt"
            type="date"
            min={todayIso()}
            isRequired
            isInvalid={fieldErrors.expiresAt !== undefined}
            value={expiresAt}
            onChange={(event) => {
              setExpiresAt(event.currentTarget.value);
              setFieldErrors((errors) => ({ ...errors, expiresAt: undefined }));
              onEdit();
            }}
            width="medium"
            testId="api-key-expiry"
          />
          {fieldErrors.expiresAt ? (
            <FieldError>{fieldErrors.expiresAt}</FieldError>
          ) : (
            <HelperMessage>The expiry date you chose when you created the key.</HelperMessage>
          )}
        </div>

        {checked?.valid === true && (
          <SectionMessage appearance="success" title="The API key works" testId="api-key-check-ok">
            <p>
              It belongs to the organization{' '}
              <strong data-testid="checked-org-name">{checked.orgName}</strong>.
            </p>
          </SectionMessage>
        )}
        {checked?.valid === false && (
          <SectionMessage
            appearance="error"
            title="The API key is not valid"
            testId="error-message"
          >
            <p data-error-code="invalid_api_key">Atlassian did not accept this key.</p>
          </SectionMessage>
        )}
        {check.error && (
          <ErrorMessage error={check.error} title="The API key could not be checked" />
        )}
        {save.error && <ErrorMessage error={save.error} title="The API key could not be saved" />}

        <Inline space="space.100">
          <Button
            type="button"
            onClick={onCheck}
            isLoading={check.isPending}
            isDisabled={busy}
            testId="api-key-check"
          >
            Check API key
          </Button>
          <Button
            type="submit"
            appearance="primary"
            isLoading={save.isPending}
            isDisabled={busy}
            testId="api-key-save"
          >
            Save
          </Button>
          {onCancel && (
            <Button
              type="button"
              appearance="subtle"
              onClick={() => confirmDiscard(onCancel)}
              isDisabled={save.isPending}
            >
              Cancel
            </Button>
          )}
        </Inline>
      </Stack>
    </form>
  );
}
