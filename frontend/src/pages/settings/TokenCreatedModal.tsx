import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Stack, Text } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { useEffect, useId, useRef, useState } from 'react';
import { revealAppTop } from '../../ap';
import type { CreatedToken } from '../../api/types';
import { copyText } from '../../clipboard';
import { CopyIcon } from '../../icons';

/** orgwarden's own URL (the API's base): the page's origin, which the orgwarden server serves. */
export function apiBaseUrl(): string {
  return window.location.origin;
}

/** A command that tries the token: who the API says it is. */
export function curlExample(token: string, baseUrl = apiBaseUrl()): string {
  return `curl -H "Authorization: Bearer ${token}" ${baseUrl}/api/v1/me`;
}

type Copied = 'token' | 'command' | 'failed' | null;

/**
 * Shows a new token's secret, the only time it is shown: a copy button, a warning, and a `curl`
 * example. Closing it forgets the secret.
 */
export function TokenCreatedModal({
  created,
  onClose,
}: {
  created: CreatedToken;
  onClose: () => void;
}) {
  const fieldId = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<Copied>(null);
  const command = curlExample(created.token);
  // It opens from the bottom of Settings: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);

  const copy = async (what: 'token' | 'command') => {
    const ok = await copyText(what === 'token' ? created.token : command);
    setCopied(ok ? what : 'failed');
    if (!ok && what === 'token') field.current?.select();
  };

  let status = '';
  if (copied === 'token') status = 'Token copied to the clipboard.';
  else if (copied === 'command') status = 'Command copied to the clipboard.';
  else if (copied === 'failed')
    status = 'The browser did not allow copying: select the text and press Ctrl+C (⌘C on a Mac).';

  return (
    // A stray click beside it must not lose the secret; Escape and the buttons close it.
    <Modal
      onClose={onClose}
      width="medium"
      autoFocus={field}
      shouldCloseOnOverlayClick={false}
      testId="token-created-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle>API token created</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <Stack space="space.200">
          <SectionMessage
            appearance="warning"
            title="Copy the token now: it won't be shown again"
            testId="token-once-warning"
          >
            <p>
              orgwarden does not keep the token in a form it can show. Store it somewhere safe, such
              as a password manager. If it is lost, revoke it and create a new one.
            </p>
          </SectionMessage>
          <div>
            <Label htmlFor={fieldId}>Token “{created.name}”</Label>
            <div className="ow-copy-row">
              <Textfield
                id={fieldId}
                ref={field}
                value={created.token}
                isReadOnly
                isMonospaced
                spellCheck={false}
                autoComplete="off"
                onFocus={(event) => event.currentTarget.select()}
                testId="created-token"
              />
              <Button iconBefore={CopyIcon} onClick={() => void copy('token')} testId="copy-token">
                Copy
              </Button>
            </div>
          </div>
          <Stack space="space.100">
            <Heading size="xsmall" as="h3">
              Try it
            </Heading>
            <Text as="p" color="color.text.subtle">
              Scripts send the token in the Authorization header:
            </Text>
            <pre className="ow-code" data-testid="token-curl">
              <code>{command}</code>
            </pre>
            <div>
              <Button iconBefore={CopyIcon} onClick={() => void copy('command')} testId="copy-curl">
                Copy command
              </Button>
            </div>
          </Stack>
          <p className="ow-subtle ow-copy-status" aria-live="polite" data-testid="copy-status">
            {status}
          </p>
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button appearance="primary" onClick={onClose} testId="token-created-done">
          Done
        </Button>
      </ModalFooter>
    </Modal>
  );
}
