import Button from '@atlaskit/button/new';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { useEffect } from 'react';
import { revealAppTop, showFlag } from '../../ap';
import { useRevokeToken } from '../../api/tokens';
import type { TokenView } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';

/** Asks before revoking a token, naming it. */
export function RevokeTokenModal({ token, onClose }: { token: TokenView; onClose: () => void }) {
  const revoke = useRevokeToken();
  // It opens from the bottom of Settings: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  const onConfirm = () =>
    revoke.mutate(token.id, {
      onSuccess: () => {
        void showFlag({ type: 'success', title: `Token “${token.name}” revoked` });
        onClose();
      },
    });
  return (
    <Modal onClose={revoke.isPending ? undefined : onClose} width="small" testId="revoke-token-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="danger">Revoke the token “{token.name}”?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          Scripts that use <strong>{token.name}</strong> (<code>{token.prefix}…</code>) are refused from now on. This
          cannot be undone.
        </p>
        {revoke.error && <ErrorMessage error={revoke.error} title="The token could not be revoked" />}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={revoke.isPending}>
          Cancel
        </Button>
        <Button appearance="danger" onClick={onConfirm} isLoading={revoke.isPending} testId="revoke-token-confirm">
          Revoke
        </Button>
      </ModalFooter>
    </Modal>
  );
}
