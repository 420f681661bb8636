import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { type FormEvent, useId, useState } from 'react';
import { showFlag } from '../../ap';
import { useAddExemption, useGroups } from '../../api/operationQueries';
import type { ExemptionKind } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useUnsavedChanges } from '../../unsavedChanges';

interface Option<T extends string> {
  label: string;
  value: T;
}

const KINDS: Option<ExemptionKind>[] = [
  { label: 'User (account id)', value: 'user' },
  { label: 'Group', value: 'group' },
];

/** Longest note the API accepts. */
const MAX_NOTE = 500;

/** Adds a user (by account id) or a group (chosen from the mirror's groups) with a note. */
export function AddExemptionForm() {
  const kindId = useId();
  const subjectId = useId();
  const noteId = useId();
  const [kind, setKind] = useState<ExemptionKind>('user');
  const [subject, setSubject] = useState('');
  const [note, setNote] = useState('');
  // The kind alone is no input: it stays as chosen after an exemption is added.
  useUnsavedChanges(subject !== '' || note !== '');
  const add = useAddExemption();
  const groups = useGroups(kind === 'group');
  const groupOptions: Option<string>[] = (groups.data ?? []).map((g) => ({
    label: g.name,
    value: g.id,
  }));
  // Without a mirror (no sync yet) groups are entered by id.
  const pickGroup = kind === 'group' && !groups.isError;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const id = subject.trim();
    if (id === '') return;
    add.mutate(
      { kind, id, note: note.trim() },
      {
        onSuccess: (saved) => {
          void showFlag({ type: 'success', title: `${saved.name ?? saved.id} is exempt` });
          setSubject('');
          setNote('');
        },
      },
    );
  };

  return (
    <form
      onSubmit={onSubmit}
      className="ow-exemption-form"
      data-testid="exemption-form"
      aria-label="Add an exemption"
    >
      <div className="ow-toolbar">
        <div className="ow-toolbar-field">
          <Label htmlFor={kindId}>Exempt a</Label>
          <Select<Option<ExemptionKind>>
            inputId={kindId}
            options={KINDS}
            value={KINDS.find((k) => k.value === kind)}
            isSearchable={false}
            onChange={(o) => {
              setKind(o?.value ?? 'user');
              setSubject('');
            }}
            testId="exemption-kind"
          />
        </div>
        <div className="ow-toolbar-field">
          <Label htmlFor={subjectId}>
            {pickGroup ? 'Group' : kind === 'group' ? 'Group id' : 'Account id'}
          </Label>
          {pickGroup ? (
            <Select<Option<string>>
              inputId={subjectId}
              options={groupOptions}
              value={groupOptions.find((o) => o.value === subject) ?? null}
              isLoading={groups.isPending}
              onChange={(o) => setSubject(o?.value ?? '')}
              placeholder="Choose a group"
              testId="exemption-group"
            />
          ) : (
            <Textfield
              id={subjectId}
              value={subject}
              maxLength={128}
              onChange={(e) => setSubject(e.currentTarget.value)}
              testId="exemption-id"
            />
          )}
        </div>
        <div className="ow-toolbar-field ow-grow">
          <Label htmlFor={noteId}>Note</Label>
          <Textfield
            id={noteId}
            value={note}
            maxLength={MAX_NOTE}
            placeholder="Why, e.g. service account"
            onChange={(e) => setNote(e.currentTarget.value)}
            testId="exemption-note"
          />
        </div>
        <Button
          type="submit"
          appearance="primary"
          isDisabled={subject.trim() === ''}
          isLoading={add.isPending}
          testId="exemption-add"
        >
          Add exemption
        </Button>
      </div>
      {add.error && <ErrorMessage error={add.error} title="The exemption could not be added" />}
    </form>
  );
}
