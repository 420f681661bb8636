import { Checkbox } from '@atlaskit/checkbox';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import { Stack } from '@atlaskit/primitives';
import Textfield from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import { useId } from 'react';
import { EVENT_CHOICES } from './events';
import {
  type DraftErrors,
  type DraftField,
  MAX_NAME,
  MAX_NOTES,
  MAX_URL,
  type WebhookDraft,
} from './webhookForm';

interface WebhookFieldsProps {
  draft: WebhookDraft;
  errors: DraftErrors;
  /** Editing a saved webhook: an empty secret keeps the current one. */
  editing: boolean;
  onChange: (patch: Partial<WebhookDraft>, field: DraftField | 'active') => void;
}

/** A field's error, or its help when it has none. */
function Hint({ error, help }: { error: string | undefined; help?: string }) {
  if (error) return <FieldError testId="webhook-field-error">{error}</FieldError>;
  return help ? <HelperMessage>{help}</HelperMessage> : null;
}

/** Name, URL, events, secret, notes and active of a webhook. */
export function WebhookFields({ draft, errors, editing, onChange }: WebhookFieldsProps) {
  const ids = {
    name: useId(),
    url: useId(),
    secret: useId(),
    notes: useId(),
    active: useId(),
    activeHelp: useId(),
  };
  const toggleEvent = (value: WebhookDraft['events'][number], on: boolean) => {
    const events = on ? [...draft.events, value] : draft.events.filter((e) => e !== value);
    // Keep the form's order whatever order they were ticked in.
    onChange(
      { events: EVENT_CHOICES.map((c) => c.value).filter((e) => events.includes(e)) },
      'events',
    );
  };

  return (
    <Stack space="space.200">
      <div>
        <Label htmlFor={ids.name}>Name</Label>
        <Textfield
          id={ids.name}
          value={draft.name}
          maxLength={MAX_NAME}
          isRequired
          isInvalid={errors.name !== undefined}
          placeholder="What receives it, e.g. Automation: key expiry ticket"
          onChange={(e) => onChange({ name: e.currentTarget.value }, 'name')}
          testId="webhook-name"
        />
        <Hint error={errors.name} />
      </div>
      <div>
        <Label htmlFor={ids.url}>URL</Label>
        <Textfield
          id={ids.url}
          type="url"
          value={draft.url}
          maxLength={MAX_URL}
          isRequired
          isInvalid={errors.url !== undefined}
          placeholder="https://"
          spellCheck={false}
          onChange={(e) => onChange({ url: e.currentTarget.value }, 'url')}
          testId="webhook-url"
        />
        <Hint
          error={errors.url}
          help="Any HTTPS receiver, such as an Automation for Jira incoming webhook. Redirects are not followed."
        />
      </div>
      <fieldset className="ow-fieldset" data-testid="webhook-events">
        <legend>Events</legend>
        <div className="ow-event-grid">
          {EVENT_CHOICES.map((choice) => (
            <div key={choice.value}>
              <Checkbox
                label={choice.label}
                value={choice.value}
                isChecked={draft.events.includes(choice.value)}
                onChange={(e) => toggleEvent(choice.value, e.currentTarget.checked)}
                testId={`webhook-event-${choice.value}`}
              />
              <p className="ow-help ow-radio-help">{choice.help}</p>
            </div>
          ))}
        </div>
        <Hint error={errors.events} />
      </fieldset>
      <div>
        <Label htmlFor={ids.secret}>
          {editing ? 'New secret (optional)' : 'Secret (optional)'}
        </Label>
        <Textfield
          id={ids.secret}
          type="password"
          autoComplete="new-password"
          value={draft.secret}
          isMonospaced
          isInvalid={errors.secret !== undefined}
          onChange={(e) => onChange({ secret: e.currentTarget.value }, 'secret')}
          testId="webhook-secret"
        />
        <Hint
          error={errors.secret}
          help={
            editing
              ? 'Leave it empty to keep the current secret. A new one takes effect with the next delivery.'
              : 'Leave it empty and orgwarden generates a whsec_ secret, shown once. For an Automation incoming webhook, paste its token.'
          }
        />
      </div>
      <div>
        <Label htmlFor={ids.notes}>Notes (optional)</Label>
        <textarea
          id={ids.notes}
          className="ow-textarea"
          rows={2}
          value={draft.notes}
          maxLength={MAX_NOTES}
          aria-invalid={errors.notes !== undefined}
          onChange={(e) => onChange({ notes: e.currentTarget.value }, 'notes')}
          data-testid="webhook-notes"
        />
        <Hint error={errors.notes} help="For other admins: what the receiver does, who owns it." />
      </div>
      <div className="ow-access-toggle">
        <Toggle
          id={ids.active}
          isChecked={draft.active}
          onChange={(e) => onChange({ active: e.currentTarget.checked }, 'active')}
          descriptionId={ids.activeHelp}
          testId="webhook-active"
        />
        <div>
          <label htmlFor={ids.active} className="ow-access-label">
            Active
          </label>
          <p id={ids.activeHelp} className="ow-help">
            An inactive webhook is sent no events until it is switched on again.
          </p>
        </div>
      </div>
    </Stack>
  );
}
