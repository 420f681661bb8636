import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { type ChangeEvent, useRef, useState } from 'react';
import { useImportSelection } from '../../api/transfer';
import type { ImportResult } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';

/** The most unmatched rows listed (the count says how many there are). */
const MAX_LISTED = 50;

/** A chosen file's text. */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}

/** "Import": choose a CSV of emails or account ids; `onImported` gets the matching users. */
export function ImportButton({ onImported }: { onImported: (result: ImportResult) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const importer = useImportSelection();
  /** The name of a chosen file that could not be read. */
  const [unreadable, setUnreadable] = useState<string | null>(null);
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    event.currentTarget.value = '';
    if (!file) return;
    importer.reset();
    setUnreadable(null);
    let text: string;
    try {
      text = await readText(file);
    } catch {
      setUnreadable(file.name);
      return;
    }
    importer.mutate(text, { onSuccess: onImported });
  };
  return (
    <>
      <Button onClick={() => input.current?.click()} isLoading={importer.isPending} testId="import">
        Import selection
      </Button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv,text/plain"
        hidden
        aria-label="CSV file of emails or account ids"
        onChange={(e) => void onFile(e)}
        data-testid="import-file"
      />
      {unreadable !== null && (
        <div className="ow-users-actions-full">
          <SectionMessage
            appearance="error"
            title="The file could not be read"
            testId="import-unreadable"
          >
            <p>
              Your browser could not read <strong>{unreadable}</strong>. Check that it is a CSV file
              you may open, then choose it again.
            </p>
          </SectionMessage>
        </div>
      )}
      {importer.isError && (
        <div className="ow-users-actions-full">
          <ErrorMessage error={importer.error} title="The CSV could not be imported" />
        </div>
      )}
    </>
  );
}

/** What an import matched: "N matched, M not matched", and the rows that did not match. */
export function ImportResultMessage({
  result,
  onDismiss,
}: {
  result: ImportResult;
  onDismiss: () => void;
}) {
  const matched = result.matched.length;
  const unmatched = result.unmatched;
  return (
    <SectionMessage
      appearance={unmatched.length > 0 ? 'warning' : 'success'}
      title={`${matched.toLocaleString()} matched, ${unmatched.length.toLocaleString()} not matched`}
      testId="import-result"
      actions={[
        <Button
          key="dismiss"
          spacing="compact"
          appearance="subtle"
          onClick={onDismiss}
          testId="import-result-dismiss"
        >
          Dismiss
        </Button>,
      ]}
    >
      <p>
        {result.accountIds.length.toLocaleString()} user
        {result.accountIds.length === 1 ? ' is' : 's are'} now selected, from{' '}
        {result.rows.toLocaleString()} row{result.rows === 1 ? '' : 's'} of the file.
      </p>
      {unmatched.length > 0 && (
        <ul className="ow-import-unmatched">
          {unmatched.slice(0, MAX_LISTED).map((row) => (
            <li key={row.row} data-testid="import-unmatched-row">
              Row {row.row}: <strong>{row.value || '(empty)'}</strong> — {row.reason}
            </li>
          ))}
          {unmatched.length > MAX_LISTED && (
            <li>…and {(unmatched.length - MAX_LISTED).toLocaleString()} more</li>
          )}
        </ul>
      )}
    </SectionMessage>
  );
}
