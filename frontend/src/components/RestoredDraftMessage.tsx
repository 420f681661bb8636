import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import { useNow } from '../hooks';
import { relativeTime } from '../time';

interface RestoredDraftMessageProps {
  /** When the restored input was kept (ms since the epoch). */
  savedAt: number;
  /** Drops the restored input: the editor goes back to where it would have started. */
  onDiscard: () => void;
}

/** Says that input left unsaved earlier (the frame was closed or reloaded) was put back. */
export function RestoredDraftMessage({ savedAt, onDiscard }: RestoredDraftMessageProps) {
  const now = useNow();
  // A clock set back since must not make it "in the future".
  const ago = relativeTime(new Date(savedAt).toISOString(), Math.max(now, savedAt));
  return (
    <SectionMessage
      appearance="information"
      testId="restored-draft"
      actions={[
        <SectionMessageAction key="discard" onClick={onDiscard} testId="restored-draft-discard">
          Discard them
        </SectionMessageAction>,
      ]}
    >
      <p>Your unsaved changes from {ago === 'just now' ? 'a moment ago' : ago} were restored.</p>
    </SectionMessage>
  );
}
