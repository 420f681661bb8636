import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Stack, Text } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { useEffect, useId, useRef, useState } from 'react';
import { revealAppTop } from '../../../ap';
import { copyText } from '../../../clipboard';
import { CopyIcon } from '../../../icons';

interface WebhookSecretModalProps {
  name: string;
  secret: string;
  onClose: () => void;
}

/**
 * Shows a webhook's generated signing secret, the only time it is shown, with a copy button.
 * Closing it forgets the secret.
 */
export function WebhookSecretModal({ name, secret, onClose }: WebhookSecretModalProps) {
  const fieldId = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => revealAppTop(), []);

  const copy = async () => {
    const ok = await copyText(secret);
    setCopied(ok);
    if (!ok) field.current?.select();
  };

  let status = '';
  if (copied === true) status = 'Secret copied to the clipboard.';
  else if (copied === false)
    status = 'The browser did not allow copying: select the text and press Ctrl+C (⌘C on a Mac).';

  return (
    // A stray click beside it must not lose the secret; Escape and the buttons close it.
    <Modal
      onClose={onClose}
      width="medium"
      autoFocus={field}
      shouldCloseOnOverlayClick={false}
      testId="webhook-secret-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle>Webhook “{name}” added</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <Stack space="space.200">
          <SectionMessage
            appearance="warning"
            title="Copy the signing secret now: it won't be shown again"
            testId="webhook-secret-warning"
          >
            <p>
              orgwarden keeps the secret encrypted and never shows it again. If it is lost, edit the
              webhook and set a new one.
            </p>
          </SectionMessage>
          <div>
            <Label htmlFor={fieldId}>Signing secret</Label>
            <div className="ow-copy-row">
              <Textfield
                id={fieldId}
                ref={field}
                value={secret}
                isReadOnly
                isMonospaced
                spellCheck={false}
                autoComplete="off"
                onFocus={(event) => event.currentTarget.select()}
                testId="webhook-created-secret"
              />
              <Button
                iconBefore={CopyIcon}
                onClick={() => void copy()}
                testId="copy-webhook-secret"
              >
                Copy
              </Button>
            </div>
          </div>
          <Text as="p" color="color.text.subtle">
            Every delivery carries the headers webhook-id, webhook-timestamp and webhook-signature,
            as the Standard Webhooks specification says: any Standard Webhooks library verifies them
            with this secret.
          </Text>
          <p
            className="ow-subtle ow-copy-status"
            aria-live="polite"
            data-testid="webhook-copy-status"
          >
            {status}
          </p>
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button appearance="primary" onClick={onClose} testId="webhook-secret-done">
          Done
        </Button>
      </ModalFooter>
    </Modal>
  );
}
