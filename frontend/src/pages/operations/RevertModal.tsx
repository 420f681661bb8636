import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { useEffect, useId, useState } from 'react';
import { revealAppTop, showFlag } from '../../ap';
import { useLicense } from '../../api/license';
import { useRevertPreview, useStartRevert } from '../../api/operationQueries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useRouter } from '../../route';
import { users } from '../../components/operations/describe';
import { PreviewSummary } from './PreviewSummary';
import { useSingleFlight } from '../../hooks';

/** Previews the inverse of a finished operation, then starts it as a new operation. */
export default function RevertModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { navigate } = useRouter();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const preview = useRevertPreview(id);
  const start = useStartRevert(id);
  const startOnce = useSingleFlight(start);
  const license = useLicense();
  const { mutate } = preview;

  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);

  useEffect(() => {
    mutate({});
  }, [mutate]);

  const onRevert = () =>
    startOnce(
      { reason: reason.trim() === '' ? undefined : reason.trim() },
      {
        onSuccess: (view) => {
          void showFlag({
            type: 'success',
            title: `Revert of operation #${id} started (operation #${view.id})`,
          });
          onClose();
          navigate('operations', { op: String(view.id) });
        },
      },
    );

  const mayAct = license.data?.mayAct !== false;
  const data = preview.data;
  const busy = start.isPending;
  return (
    <Modal onClose={busy ? undefined : onClose} width="large" testId="revert-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="warning">
          {data ? `Revert operation #${id} for ${users(data.users)}?` : `Revert operation #${id}?`}
        </ModalTitle>
      </ModalHeader>
      <ModalBody>
        <Stack space="space.200">
          <p>
            A revert is a new operation that undoes what this one changed: restores suspended users,
            adds them back to groups and grants removed access again, under the same guards.
          </p>
          {license.data && !license.data.mayAct && (
            <SectionMessage
              appearance="error"
              title="Operations are blocked by the app's license"
              testId="license-refusal"
            >
              <p>{license.data.message}</p>
            </SectionMessage>
          )}
          {preview.isPending && <Spinner size="medium" label="Loading the preview" />}
          {preview.error && (
            <ErrorMessage error={preview.error} title="The revert could not be previewed" />
          )}
          {data && <PreviewSummary preview={data} />}
          {data && (
            <div>
              <Label htmlFor={reasonId}>Reason (default: “Revert of operation {id}”)</Label>
              <Textfield
                id={reasonId}
                value={reason}
                maxLength={1000}
                onChange={(e) => setReason(e.currentTarget.value)}
                testId="revert-reason"
              />
            </div>
          )}
          {start.error && (
            <ErrorMessage error={start.error} title="The revert could not be started" />
          )}
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={busy}>
          Cancel
        </Button>
        <Button
          appearance="warning"
          onClick={onRevert}
          isDisabled={!data || data.totals.act === 0 || !mayAct}
          isLoading={busy}
          testId="revert-confirm"
        >
          {data ? `Revert ${data.totals.act.toLocaleString()} changes` : 'Revert'}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
