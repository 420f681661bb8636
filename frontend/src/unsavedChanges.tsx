// Input not saved yet: a page says while it holds some, and leaving it (the app's navigation, the
// browser's back button, closing a composer, reloading) asks first. A page that keeps a draft of
// its input in the tab (keptDrafts.ts) hears when the admin discards it.
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

export interface UnsavedChanges {
  /**
   * Adds a page's check "holds unsaved input", and what to do when the admin agrees to discard
   * that input; answers its removal.
   */
  register(holdsInput: () => boolean, onDiscard?: () => void): () => void;
  /**
   * Runs `proceed` at once when no page holds unsaved input, else only once the admin agrees to
   * discard it; `onKeep` runs when they keep editing instead.
   */
  confirmDiscard(proceed: () => void, onKeep?: () => void): void;
}

export const UnsavedChangesContext = createContext<UnsavedChanges | null>(null);

/**
 * The shell's side: the context's value, whether any page holds unsaved input now, and the
 * question to render while one is asked.
 */
export function useUnsavedChangesPrompt(): {
  unsaved: UnsavedChanges;
  holdsInput: () => boolean;
  prompt: ReactNode;
} {
  const pages = useRef(new Set<{ holdsInput: () => boolean; onDiscard?: () => void }>());
  const [asked, setAsked] = useState<{ proceed: () => void; onKeep?: () => void } | null>(null);
  const holdsInput = useCallback(() => [...pages.current].some((page) => page.holdsInput()), []);
  const unsaved = useMemo<UnsavedChanges>(
    () => ({
      register: (check, onDiscard) => {
        const page = { holdsInput: check, onDiscard };
        pages.current.add(page);
        return () => {
          pages.current.delete(page);
        };
      },
      confirmDiscard: (proceed, onKeep) => {
        if (holdsInput()) setAsked({ proceed, onKeep });
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
        for (const page of pages.current) if (page.holdsInput()) page.onDiscard?.();
        asked.proceed();
      }}
    />
  );
  return { unsaved, holdsInput, prompt };
}

/**
 * A page's side, while `holdsInput` is true: `confirmDiscard` for its own Cancel or close, and
 * `leaveSaved` to leave without a question once the input was saved or sent. `onDiscard` runs
 * when the admin agrees to discard the input (to forget a draft kept of it).
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
  useEffect(
    () =>
      unsaved?.register(
        () => holds.current && !saved.current,
        () => discarded.current?.(),
      ),
    [unsaved],
  );
  return useMemo(
    () => ({
      confirmDiscard: (proceed) => (unsaved ? unsaved.confirmDiscard(proceed) : proceed()),
      leaveSaved: (proceed) => {
        saved.current = true;
        proceed();
      },
    }),
    [unsaved],
  );
}
