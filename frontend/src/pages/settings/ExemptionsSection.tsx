import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Stack, Text } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useEffect, useState } from 'react';
import { revealAppTop } from '../../ap';
import { useExemptions, useRemoveExemption } from '../../api/operationQueries';
import { useApiKey, useMe } from '../../api/queries';
import type { Exemption, ExemptionKind } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { absoluteTime } from '../../time';
import { AddExemptionForm } from './AddExemptionForm';
import '../../components/operations/operations.css';

/** What an exemption is called: its name, else its id. */
function title(e: Exemption): string {
  return e.name ?? e.id;
}

/** Asks before removing an exemption. */
function RemoveExemptionModal({
  exemption,
  onClose,
}: {
  exemption: Exemption;
  onClose: () => void;
}) {
  const remove = useRemoveExemption();
  const kind: ExemptionKind = exemption.kind === 'group' ? 'group' : 'user';
  // It may open from low on a long page: bring it into sight in Jira.
  useEffect(() => revealAppTop(), []);
  return (
    <Modal
      onClose={remove.isPending ? undefined : onClose}
      width="small"
      testId="remove-exemption-modal"
    >
      <ModalHeader hasCloseButton>
        <ModalTitle appearance="warning">Remove the exemption of {title(exemption)}?</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <p>
          Bulk operations and automated tasks may then change this{' '}
          {kind === 'group' ? 'group and its members' : 'user'}.
        </p>
        {remove.error && (
          <ErrorMessage error={remove.error} title="The exemption could not be removed" />
        )}
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={onClose} isDisabled={remove.isPending}>
          Keep it
        </Button>
        <Button
          appearance="warning"
          onClick={() => remove.mutate({ kind, id: exemption.id }, { onSuccess: onClose })}
          isLoading={remove.isPending}
          testId="remove-exemption-confirm"
        >
          Remove exemption
        </Button>
      </ModalFooter>
    </Modal>
  );
}

/** Settings → Exemptions (once an API key is saved): users and groups no operation touches, with a note. */
export function ExemptionsSection() {
  const apiKey = useApiKey();
  // Without a key there is no organization to exempt anyone from.
  return apiKey.data ? <Exemptions /> : null;
}

function Exemptions() {
  const list = useExemptions();
  const me = useMe();
  // Who operations never touch is the organization admins' decision; everyone reads it.
  const manage = me.data?.access.as === 'orgAdmin';
  const [removing, setRemoving] = useState<Exemption | null>(null);

  let content;
  if (list.isPending) content = <Spinner size="medium" label="Loading the exemptions" />;
  else if (list.isError)
    content = (
      <ErrorMessage
        error={list.error}
        title="The exemptions could not be loaded"
        onRetry={() => void list.refetch()}
      />
    );
  else if (list.data.length === 0)
    content = (
      <p className="ow-subtle" data-testid="exemptions-empty">
        No exemptions yet.
      </p>
    );
  else
    content = (
      <div className="ow-scroll-x">
        <table className="ow-table" data-testid="exemptions-table">
          <thead>
            <tr>
              <th scope="col">User or group</th>
              <th scope="col">Note</th>
              <th scope="col">Added</th>
              {manage && (
                <th scope="col">
                  <span className="ow-visually-hidden">Remove</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {list.data.map((e) => (
              <tr
                key={`${e.kind}/${e.id}`}
                data-testid="exemption-row"
                data-kind={e.kind}
                data-id={e.id}
              >
                <td>
                  <span className="ow-subtle">{e.kind === 'group' ? 'Group' : 'User'}: </span>
                  <span title={e.id}>{title(e)}</span>
                </td>
                <td>{e.note || <span className="ow-subtle">—</span>}</td>
                <td className="ow-nowrap" title={`by ${e.createdBy}`}>
                  {absoluteTime(e.createdAt)}
                </td>
                {manage && (
                  <td>
                    <Button
                      spacing="compact"
                      appearance="subtle"
                      onClick={() => setRemoving(e)}
                      aria-label={`Remove the exemption of ${title(e)}`}
                      testId="exemption-remove"
                    >
                      Remove
                    </Button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  return (
    <section aria-labelledby="exemptions-heading" className="ow-panel" data-testid="exemptions">
      <Stack space="space.200">
        <Heading size="small" as="h2" id="exemptions-heading">
          Exemptions
        </Heading>
        <Text as="p" color="color.text.subtle">
          Exempt users are skipped by every bulk operation; exempt groups are never changed and
          their members are skipped.
        </Text>
        {!manage && me.data && (
          <SectionMessage appearance="information" testId="exemptions-readonly">
            <p>Only organization admins can add or remove exemptions.</p>
          </SectionMessage>
        )}
        {content}
        {manage && <AddExemptionForm />}
      </Stack>
      {removing && <RemoveExemptionModal exemption={removing} onClose={() => setRemoving(null)} />}
    </section>
  );
}
