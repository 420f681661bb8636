// Unsaved input kept in the tab's sessionStorage. Leaving through Jira's own menus, or a reload
// inside Jira's frame, tears the iframe down without a question; the editor then offers the input
// back when it opens again. Only the task editor and the bulk actions composer keep drafts, never
// a secret. Where storage is unavailable (a sandboxed frame) nothing is kept and nothing breaks.
import {
  type Dispatch,
  type SetStateAction,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { useMe } from './api/queries';

const PREFIX = 'orgwarden.draft.';

/** Drafts older than this are not offered, and are removed. */
export const DRAFT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

interface StoredDraft {
  savedAt: number;
  scope: string;
  value: unknown;
}

/** A draft read back: what was kept, and when (ms since the epoch). */
export interface KeptDraft {
  value: unknown;
  savedAt: number;
}

/** The tab's sessionStorage, or null where the frame may not use it. */
function storage(): Storage | null {
  try {
    return window.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function parseStored(text: string | null): StoredDraft | null {
  if (text === null) return null;
  try {
    const stored = JSON.parse(text) as Partial<StoredDraft> | null;
    if (typeof stored?.savedAt !== 'number' || typeof stored.scope !== 'string') return null;
    return { savedAt: stored.savedAt, scope: stored.scope, value: stored.value };
  } catch {
    return null;
  }
}

/** Removes every kept draft that is too old to offer, or unreadable. */
function removeStale(store: Storage, now: number): void {
  const keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter(
    (key): key is string => key?.startsWith(PREFIX) === true,
  );
  for (const key of keys) {
    const stored = parseStored(store.getItem(key));
    if (!stored || now - stored.savedAt > DRAFT_MAX_AGE_MS) store.removeItem(key);
  }
}

/**
 * The draft kept in `slot` for `scope`; null when there is none, it is older than
 * `DRAFT_MAX_AGE_MS`, or it was made for another scope (both are removed).
 */
export function readDraft(slot: string, scope: string, now = Date.now()): KeptDraft | null {
  try {
    const store = storage();
    if (!store) return null;
    removeStale(store, now);
    const stored = parseStored(store.getItem(PREFIX + slot));
    if (!stored) return null;
    if (stored.scope !== scope) {
      store.removeItem(PREFIX + slot);
      return null;
    }
    return { value: stored.value, savedAt: stored.savedAt };
  } catch {
    return null;
  }
}

/** Keeps `value` (plain JSON) in `slot`, made for `scope`. */
export function writeDraft(slot: string, scope: string, value: unknown, now = Date.now()): void {
  try {
    storage()?.setItem(PREFIX + slot, JSON.stringify({ savedAt: now, scope, value }));
  } catch {
    // Storage full or refused: the draft is not kept, the editor works as before.
  }
}

/** Forgets the draft kept in `slot`. */
export function clearDraft(slot: string): void {
  try {
    storage()?.removeItem(PREFIX + slot);
  } catch {
    // Storage refused: there is nothing kept to forget.
  }
}

/** A short, stable name for a long text (a selection of thousands of users) to key a slot by. */
export function fingerprint(text: string): string {
  // cyrb53: two 32-bit multiplicative hashes combined into 53 bits.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Who the drafts of this frame belong to: its tenant and user. One tab may open several Jira
 * sites, or users, in turn; an editor's scope starts with this, so a draft is offered only to
 * whom it was made by, on the site it was made on.
 */
export function useDraftOwner(): string {
  const me = useMe().data;
  return `${me?.tenant.clientKey ?? ''}/${me?.accountId ?? ''}`;
}

/** Where an editor keeps its draft, and how the draft is stored and compared. */
export interface KeptDraftOptions<T> {
  /** One editor and what it edits (`task.7`, `task.new`, `bulk.<selection>`). */
  slot: string;
  /** What the draft was made against (the task as saved): a draft of another scope is dropped. */
  scope: string;
  /** What the editor starts with when no draft is offered (read at the first render only). */
  initial: T;
  /** The form a value is stored in (plain JSON, without React keys). Stable across renders. */
  toStored: (value: T) => unknown;
  /** A stored value back, or null when it is not one (kept by another version of the app). */
  fromStored: (stored: unknown) => T | null;
  /** True when `value` differs from `initial` in anything the admin chose. Stable across renders. */
  changed: (value: T, initial: T) => boolean;
}

/** An editor's value, kept in the tab on each change while it differs from where it started. */
export interface KeptDraftState<T> {
  value: T;
  setValue: Dispatch<SetStateAction<T>>;
  /** When the draft the editor restored was kept; null when it started from `initial`. */
  restoredAt: number | null;
  /** Back to `initial`, forgetting the kept draft ("Discard them"). */
  discard: () => void;
  /** Forgets the kept draft: the input was saved, or the admin chose to discard it. */
  forget: () => void;
}

/**
 * The editor's state, restored from a draft kept in the tab when one exists for `slot` and
 * `scope` and differs from `initial`; every change is kept (or forgotten once it is `initial`
 * again).
 */
export function useKeptDraft<T>(options: KeptDraftOptions<T>): KeptDraftState<T> {
  const { slot, scope, toStored, changed } = options;
  const [start] = useState(() => {
    const kept = readDraft(slot, scope);
    const restored = kept ? options.fromStored(kept.value) : null;
    if (kept && restored !== null && changed(restored, options.initial))
      return { initial: options.initial, value: restored, restoredAt: kept.savedAt };
    if (kept) clearDraft(slot);
    return { initial: options.initial, value: options.initial, restoredAt: null };
  });
  const [value, setValue] = useState(start.value);
  const [restoredAt, setRestoredAt] = useState(start.restoredAt);
  // What storage holds for this editor now: writes only when the value really changed, so a
  // restored draft keeps the time it was made.
  const written = useRef(JSON.stringify(toStored(start.value)));

  useEffect(() => {
    const stored = toStored(value);
    const text = JSON.stringify(stored);
    if (text === written.current) return;
    written.current = text;
    if (changed(value, start.initial)) writeDraft(slot, scope, stored);
    else clearDraft(slot);
  }, [value, slot, scope, toStored, changed, start.initial]);

  const forget = useCallback(() => clearDraft(slot), [slot]);
  const discard = useCallback(() => {
    written.current = JSON.stringify(toStored(start.initial));
    clearDraft(slot);
    setValue(start.initial);
    setRestoredAt(null);
  }, [slot, toStored, start.initial]);
  return { value, setValue, restoredAt, discard, forget };
}
