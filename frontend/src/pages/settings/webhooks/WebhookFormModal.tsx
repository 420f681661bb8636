import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Stack } from '@atlaskit/primitives';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { revealAppTop, showFlag } from '../../../ap';
import { type ApiError, errorField, fieldMessages } from '../../../api/errors';
import type { CreatedWebhook, WebhookView } from '../../../api/types';
import { useCreateWebhook, useUpdateWebhook } from '../../../api/webhooks';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { useUnsavedChanges } from '../../../unsavedChanges';
import { WebhookFields } from './WebhookFields';
import {
  type DraftErrors,
  type DraftField,
  EMPTY_DRAFT,
  type WebhookDraft,
  draftChanged,
  draftOf,
  inputOf,
  validateDraft,
} from './webhookForm';

const FIELDS: readonly DraftField[] = ['name', 'url', 'events', 'secret', 'notes'];

/** The server's error on the form's own field: `{"field": "url"}` with "url: …", or field messages. */
export function serverFieldErrors(error: ApiError | null): DraftErrors {
  if (!error) return {};
  const named = errorField(error);
  const pairs: Array<[string, string]> =
    named === null ? fieldMessages(error) : [[named, error.message]];
  const errors: DraftErrors = {};
  for (const [field, message] of pairs) {
    const known = FIELDS.find((f) => f === field);
    const text = message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
    if (known) errors[known] = text;
  }
  return errors;
}

interface WebhookFormModalProps {
  /** The webhook to edit; a new one when absent. */
  webhook?: WebhookView;
  onClose: () => void;
  /** A new webhook was created; its secret is only in `created` (`generated` when none was typed). */
  onCreated: (created: CreatedWebhook, generated: boolean) => void;
}

/** Creates or edits a webhook; checks the form before sending and shows the server's errors. */
export function WebhookFormModal({ webhook, onClose, onCreated }: WebhookFormModalProps) {
  const formId = useId();
  const [start] = useState<WebhookDraft>(() => (webhook ? draftOf(webhook) : EMPTY_DRAFT));
  const [draft, setDraft] = useState(start);
  // A secret typed is input too: leaving asks, and nothing of the form is kept anywhere.
  const { confirmDiscard } = useUnsavedChanges(draftChanged(draft, start));
  const close = () => confirmDiscard(onClose);
  const [errors, setErrors] = useState<DraftErrors>({});
  const create = useCreateWebhook();
  const update = useUpdateWebhook();
  const saving = create.isPending || update.isPending;
  const failure = webhook ? update.error : create.error;
  // It opens from the bottom of Settings: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);

  const onChange = (patch: Partial<WebhookDraft>, field: DraftField | 'active') => {
    setDraft((current) => ({ ...current, ...patch }));
    if (field !== 'active') setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateDraft(draft);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = inputOf(draft);
    const onError = (error: ApiError) => setErrors(serverFieldErrors(error));
    if (webhook) {
      update.mutate(
        { id: webhook.id, body },
        {
          onSuccess: (saved) => {
            void showFlag({ type: 'success', title: `Webhook “${saved.name}” saved` });
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(body, {
        onSuccess: (created) => {
          // The secret goes on to be shown once; the mutation forgets it.
          create.reset();
          onCreated(created, body.secret === undefined);
        },
        onError,
      });
    }
  };

  return (
    <Modal
      onClose={saving ? undefined : close}
      width="medium"
      shouldCloseOnOverlayClick={false}
      testId="webhook-form-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle>{webhook ? `Edit the webhook “${webhook.name}”` : 'Add a webhook'}</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <form
          id={formId}
          onSubmit={onSubmit}
          noValidate
          aria-label={webhook ? 'Edit the webhook' : 'Add a webhook'}
        >
          <Stack space="space.200">
            <WebhookFields
              draft={draft}
              errors={errors}
              editing={webhook !== undefined}
              onChange={onChange}
            />
            {failure && <ErrorMessage error={failure} title="The webhook could not be saved" />}
          </Stack>
        </form>
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={close} isDisabled={saving}>
          Cancel
        </Button>
        <Button
          type="submit"
          form={formId}
          appearance="primary"
          isLoading={saving}
          testId="webhook-save"
        >
          {webhook ? 'Save' : 'Add webhook'}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
