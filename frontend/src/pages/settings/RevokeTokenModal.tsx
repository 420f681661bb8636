import { showFlag } from '../../ap';
import { useRevokeToken } from '../../api/tokens';
import type { TokenView } from '../../api/types';
import { DangerModal } from '../../components/DangerModal';

/** Asks before revoking a token, naming it. */
export function RevokeTokenModal({ token, onClose }: { token: TokenView; onClose: () => void }) {
  const revoke = useRevokeToken();
  const onConfirm = () =>
    revoke.mutate(token.id, {
      onSuccess: () => {
        void showFlag({ type: 'success', title: `Token “${token.name}” revoked` });
        onClose();
      },
    });
  return (
    <DangerModal
      title={`Revoke the token “${token.name}”?`}
      confirmLabel="Revoke"
      pending={revoke.isPending}
      error={revoke.error}
      errorTitle="The token could not be revoked"
      onConfirm={onConfirm}
      onClose={onClose}
      testId="revoke-token"
    >
      <p>
        Scripts that use <strong>{token.name}</strong> (<code>{token.prefix}…</code>) are refused
        from now on. This cannot be undone.
      </p>
    </DangerModal>
  );
}
