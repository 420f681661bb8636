// Input not saved yet: a page says while it holds some, and leaving it (the app's navigation, the
// browser's back button, closing a composer, reloading) asks first. A page that keeps a draft of
// its input in the tab (keptDrafts.ts) hears when the admin discards it. Several forms of one page
// (Settings) each register their input: leaving the page asks once for all of them, while a form's
// own Cancel or close asks only about that form's input.
import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { DiscardChangesModal } from './components/DiscardChangesModal';

/** One form's input, as the shell follows it. */
export interface HeldInput {
  /** Whether the form holds unsaved input now. */
  holdsInput: () => boolean;
  /** What to do when the admin agrees to discard that input (forget a draft kept of it). */
  onDiscard?: () => void;
}

export interface UnsavedChanges {
  /** Adds a form's input to those leaving the page asks about; answers its removal. */
  register(input: HeldInput): () => void;
  /**
   * Runs `proceed` at once when no form holds unsaved input, else only once the admin agrees to
   * discard it; `onKeep` runs when they keep editing instead. With `only`, just that form's input
   * counts (its own Cancel or close), else every registered form's (leaving the page).
   */
  confirmDiscard(proceed: () => void, options?: { onKeep?: () => void; only?: HeldInput }): void;
}

export const UnsavedChangesContext = createContext<UnsavedChanges | null>(null);

/** The question being asked: what to do on each answer, and about which forms' input. */
interface Question {
  proceed: () => void;
  onKeep?: () => void;
  only?: HeldInput;
}

/**
 * The shell's side: the context's value, whether any form holds unsaved input now, and the
 * question to render while one is asked (only one at a time, however many forms hold input).
 */
export function useUnsavedChangesPrompt(): {
  unsaved: UnsavedChanges;
  holdsInput: () => boolean;
  prompt: ReactNode;
} {
  const inputs = useRef(new Set<HeldInput>());
  const [asked, setAsked] = useState<Question | null>(null);
  const holdsInput = useCallback(() => [...inputs.current].some((input) => input.holdsInput()), []);
  const unsaved = useMemo<UnsavedChanges>(
    () => ({
      register: (input) => {
        inputs.current.add(input);
        return () => {
          inputs.current.delete(input);
        };
      },
      confirmDiscard: (proceed, { onKeep, only } = {}) => {
        // A newer question (the back button pressed again) replaces the one on screen.
        if (only ? only.holdsInput() : holdsInput()) setAsked({ proceed, onKeep, only });
        else proceed();
      },
    }),
    [holdsInput],
  );

  useEffect(() => {
    // Reloading or closing the page: the browser asks in its own words.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (holdsInput()) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [holdsInput]);

  const prompt = asked && (
    <DiscardChangesModal
      onKeepEditing={() => {
        setAsked(null);
        asked.onKeep?.();
      }}
      onDiscard={() => {
        setAsked(null);
        const discarded = asked.only ? [asked.only] : [...inputs.current];
        for (const input of discarded) if (input.holdsInput()) input.onDiscard?.();
        asked.proceed();
      }}
    />
  );
  return { unsaved, holdsInput, prompt };
}

/**
 * A form's side, while `holdsInput` is true (its values differ from what was saved, or from the
 * empty form): leaving the page asks first. `confirmDiscard` is for its own Cancel or close (it
 * asks about this form's input only), `leaveSaved` to leave without a question once the input was
 * saved or sent. `onDiscard` runs when the admin agrees to discard the input (to forget a draft
 * kept of it). Any number of forms on a page may use it at once.
 */
export function useUnsavedChanges(
  holdsInput: boolean,
  onDiscard?: () => void,
): {
  confirmDiscard: (proceed: () => void) => void;
  leaveSaved: (proceed: () => void) => void;
} {
  const unsaved = useContext(UnsavedChangesContext);
  const holds = useRef(holdsInput);
  const discarded = useRef(onDiscard);
  const saved = useRef(false);
  useEffect(() => {
    holds.current = holdsInput;
    discarded.current = onDiscard;
  }, [holdsInput, onDiscard]);
  const input = useMemo<HeldInput>(
    () => ({
      holdsInput: () => holds.current && !saved.current,
      onDiscard: () => discarded.current?.(),
    }),
    [],
  );
  useEffect(() => unsaved?.register(input), [unsaved, input]);
  return useMemo(
    () => ({
      confirmDiscard: (proceed) =>
        unsaved ? unsaved.confirmDiscard(proceed, { only: input }) : proceed(),
      leaveSaved: (proceed) => {
        saved.current = true;
        proceed();
      },
    }),
    [unsaved, input],
  );
}
