// Input not saved yet: a page says while it holds some, and leaving it (the app's navigation, the
// browser's back button, closing a composer, reloading) asks first.
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
  /** Adds a page's check "holds unsaved input"; answers its removal. */
  register(holdsInput: () => boolean): () => void;
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
  const checks = useRef(new Set<() => boolean>());
  const [asked, setAsked] = useState<{ proceed: () => void; onKeep?: () => void } | null>(null);
  const holdsInput = useCallback(() => [...checks.current].some((check) => check()), []);
  const unsaved = useMemo<UnsavedChanges>(
    () => ({
      register: (check) => {
        checks.current.add(check);
        return () => {
          checks.current.delete(check);
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
        asked.proceed();
      }}
    />
  );
  return { unsaved, holdsInput, prompt };
}

/**
 * A page's side, while `holdsInput` is true: `confirmDiscard` for its own Cancel or close, and
 * `leaveSaved` to leave without a question once the input was saved or sent.
 */
export function useUnsavedChanges(holdsInput: boolean): {
  confirmDiscard: (proceed: () => void) => void;
  leaveSaved: (proceed: () => void) => void;
} {
  const unsaved = useContext(UnsavedChangesContext);
  const holds = useRef(holdsInput);
  const saved = useRef(false);
  useEffect(() => {
    holds.current = holdsInput;
  }, [holdsInput]);
  useEffect(() => unsaved?.register(() => holds.current && !saved.current), [unsaved]);
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
