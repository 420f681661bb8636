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
import { useCreateOperation, useGroups, usePreviewOperation } from '../../api/operationQueries';
import type { OperationRequest, OperationSelection } from '../../api/types';
import type { OrgCatalog } from '../../catalog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { RestoredDraftMessage } from '../../components/RestoredDraftMessage';
import { useDraftOwner, useKeptDraft } from '../../keptDrafts';
import { useRouter } from '../../route';
import { ActionEditor } from '../../components/operations/ActionEditor';
import { ACTION_TYPES, describeAction, users } from '../../components/operations/describe';
import { type Draft, missing, toAction } from '../../components/operations/drafts';
import {
  NOTHING_COMPOSED,
  composedSomething,
  composerDraftSlot,
  restoredComposition,
  storedComposition,
} from './keptComposition';
import { PreviewSummary } from './PreviewSummary';
import { useNames } from '../../components/operations/useNames';
import '../../components/operations/operations.css';
import './operations.css';
import { useSingleFlight } from '../../hooks';
import { useUnsavedChanges } from '../../unsavedChanges';

/** Longest reason the API accepts. */
const MAX_REASON = 1000;

interface BulkActionsModalProps {
  /** Which users: `{accountIds}`, or `{filter}` for "all N matching". */
  selection: OperationSelection;
  /** How many users the selection holds now (the preview resolves it again). */
  count: number;
  catalog: OrgCatalog;
  onClose: () => void;
}

type Step = 'compose' | 'preview' | 'confirm';

/** The license's refusal, when operations may not run. */
function LicenseRefusal() {
  const license = useLicense();
  if (!license.data || license.data.mayAct) return null;
  return (
    <SectionMessage
      appearance="error"
      title="Operations are blocked by the app's license"
      testId="license-refusal"
    >
      <p>{license.data.message}</p>
    </SectionMessage>
  );
}

/**
 * Bulk actions on a User Browser selection: choose actions in order, a reason, preview what would
 * happen, confirm, then follow the operation on its page.
 */
export default function BulkActionsModal({
  selection,
  count,
  catalog,
  onClose,
}: BulkActionsModalProps) {
  const { navigate } = useRouter();
  const reasonId = useId();
  // Kept in the tab for this selection only: leaving through Jira's menus or a reload does not
  // lose it, and it is never offered for other users.
  const kept = useKeptDraft({
    slot: composerDraftSlot(selection),
    scope: useDraftOwner(),
    initial: NOTHING_COMPOSED,
    toStored: storedComposition,
    fromStored: restoredComposition,
    changed: composedSomething,
  });
  const { actions: drafts, reason } = kept.value;
  const setReason = (text: string) => kept.setValue((c) => ({ ...c, reason: text }));
  const [step, setStep] = useState<Step>('compose');
  const [triedPreview, setTriedPreview] = useState(false);
  const groups = useGroups();
  const license = useLicense();
  const names = useNames();
  const preview = usePreviewOperation();
  const create = useCreateOperation();
  const createOnce = useSingleFlight(create);
  const mayAct = license.data?.mayAct !== false;
  const { confirmDiscard, leaveSaved } = useUnsavedChanges(
    composedSomething(kept.value),
    kept.forget,
  );
  const close = () => confirmDiscard(onClose);
  // It opens from the User Browser, often scrolled far down: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);

  const complete = drafts.length > 0 && drafts.every((d) => missing(d) === null);
  const request: OperationRequest = {
    selection,
    actions: drafts.map(toAction),
    reason: reason.trim() === '' ? undefined : reason.trim(),
  };
  const edit = (next: Draft[]) => {
    kept.setValue((c) => ({ ...c, actions: next }));
    preview.reset();
  };
  const onPreview = () => {
    setTriedPreview(true);
    if (!complete) return;
    preview.mutate(request, { onSuccess: () => setStep('preview') });
  };
  const onRun = () =>
    createOnce(request, {
      onSuccess: (view) => {
        kept.forget();
        void showFlag({ type: 'success', title: `Operation #${view.id} started` });
        leaveSaved(() => {
          onClose();
          navigate('operations', { op: String(view.id) });
        });
      },
    });

  const destructive = drafts.some((d) => ACTION_TYPES.find((a) => a.type === d.type)?.destructive);
  const affected = preview.data?.users ?? count;
  const selectionText = selection.filter ? `all ${users(count)} matching the filter` : users(count);

  let body;
  if (step === 'compose') {
    body = (
      <Stack space="space.200">
        {kept.restoredAt !== null && (
          <RestoredDraftMessage
            savedAt={kept.restoredAt}
            onDiscard={() => {
              kept.discard();
              setTriedPreview(false);
              preview.reset();
            }}
          />
        )}
        <p>
          Act on <strong data-testid="bulk-selection">{selectionText}</strong>. Organization admins,
          exempt users and groups, and IdP-synced groups are never changed.
        </p>
        {groups.isError && (
          <ErrorMessage error={groups.error} title="The groups could not be loaded" />
        )}
        <ActionEditor
          drafts={drafts}
          onChange={edit}
          catalog={catalog}
          groups={groups.data ?? []}
          showMissing={triedPreview}
        />
        <div>
          <Label htmlFor={reasonId}>Reason (recorded with every change)</Label>
          <Textfield
            id={reasonId}
            value={reason}
            maxLength={MAX_REASON}
            placeholder="e.g. Quarterly license clean-up"
            onChange={(e) => setReason(e.currentTarget.value)}
            testId="bulk-reason"
          />
        </div>
        {triedPreview && drafts.length === 0 && (
          <p className="ow-error-text" role="alert">
            Add at least one action.
          </p>
        )}
        {preview.isError && <ErrorMessage error={preview.error} title="The preview failed" />}
      </Stack>
    );
  } else if (step === 'preview' && preview.data) {
    body = (
      <Stack space="space.200">
        <LicenseRefusal />
        {preview.data.totals.act === 0 && (
          <SectionMessage
            appearance="information"
            title="Nothing would change"
            testId="preview-nothing"
          >
            <p>Every step would be skipped. Go back and choose other actions or users.</p>
          </SectionMessage>
        )}
        <PreviewSummary preview={preview.data} />
      </Stack>
    );
  } else if (preview.data) {
    body = (
      <Stack space="space.200" testId="bulk-confirmation">
        <LicenseRefusal />
        <p>
          orgwarden will run these actions, in this order, for <strong>{users(affected)}</strong> in
          your Atlassian organization ({preview.data.totals.act.toLocaleString()} changes):
        </p>
        <ol data-testid="bulk-confirm-actions">
          {request.actions.map((action, i) => (
            <li key={i}>{describeAction(action, names)}</li>
          ))}
        </ol>
        {request.reason && (
          <p>
            Reason: <em>{request.reason}</em>
          </p>
        )}
        <p className="ow-subtle">
          Each change can be undone later with “Revert” on the operation’s page.
        </p>
        {create.isError && (
          <ErrorMessage error={create.error} title="The operation could not be started" />
        )}
      </Stack>
    );
  }

  const busy = preview.isPending || create.isPending;
  return (
    <Modal onClose={busy ? undefined : close} width="large" testId="bulk-actions-modal">
      <ModalHeader hasCloseButton>
        <ModalTitle appearance={step === 'confirm' && destructive ? 'danger' : undefined}>
          {step === 'confirm'
            ? `Run ${drafts.length === 1 ? '1 action' : `${drafts.length} actions`} on ${users(affected)}?`
            : 'Bulk actions'}
        </ModalTitle>
      </ModalHeader>
      <ModalBody>{body ?? <Spinner size="medium" label="Loading" />}</ModalBody>
      <ModalFooter>
        {step === 'compose' ? (
          <Button appearance="subtle" onClick={close} isDisabled={busy} testId="bulk-cancel">
            Cancel
          </Button>
        ) : (
          <Button
            appearance="subtle"
            onClick={() => setStep(step === 'confirm' ? 'preview' : 'compose')}
            isDisabled={busy}
            testId="bulk-back"
          >
            Back
          </Button>
        )}
        {step === 'compose' && (
          <Button
            appearance="primary"
            onClick={onPreview}
            isLoading={preview.isPending}
            testId="bulk-preview"
          >
            Preview
          </Button>
        )}
        {step === 'preview' && (
          <Button
            appearance="primary"
            onClick={() => setStep('confirm')}
            isDisabled={!mayAct || preview.data?.totals.act === 0}
            testId="bulk-continue"
          >
            Continue
          </Button>
        )}
        {step === 'confirm' && (
          <Button
            appearance={destructive ? 'danger' : 'primary'}
            onClick={onRun}
            isDisabled={!mayAct}
            isLoading={create.isPending}
            testId="bulk-run"
          >
            Run on {users(affected)}
          </Button>
        )}
      </ModalFooter>
    </Modal>
  );
}
