import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import {
  DRAFT_MAX_AGE_MS,
  clearDraft,
  fingerprint,
  readDraft,
  useKeptDraft,
  writeDraft,
} from './keptDrafts';

const NOW = Date.parse('2027-01-01T12:00:00Z');
const HOUR = 60 * 60 * 1000;

const kept = () => Object.keys(window.sessionStorage).filter((k) => k.startsWith('orgwarden.'));

describe('drafts kept in the tab', () => {
  it('gives a draft back for its slot and scope only, and drops one made for another scope', () => {
    writeDraft('task.7', 'v1', { name: 'Tidy' }, NOW - HOUR);
    expect(readDraft('task.8', 'v1', NOW)).toBeNull();
    expect(readDraft('task.7', 'v1', NOW)).toEqual({
      value: { name: 'Tidy' },
      savedAt: NOW - HOUR,
    });
    expect(readDraft('task.7', 'v2', NOW)).toBeNull();
    expect(kept()).toEqual([]);
  });

  it('ignores and removes drafts older than a day, and unreadable ones', () => {
    writeDraft('task.7', '', { name: 'old' }, NOW - DRAFT_MAX_AGE_MS - 1);
    writeDraft('task.new', '', { name: 'old too' }, NOW - 2 * DRAFT_MAX_AGE_MS);
    writeDraft('bulk.x', '', { reason: 'recent' }, NOW - 23 * HOUR);
    window.sessionStorage.setItem('orgwarden.draft.task.9', '{not json');
    window.sessionStorage.setItem('someone-else', 'kept');
    expect(readDraft('task.7', '', NOW)).toBeNull();
    expect(kept()).toEqual(['orgwarden.draft.bulk.x']);
    expect(window.sessionStorage.getItem('someone-else')).toBe('kept');
    clearDraft('bulk.x');
    expect(kept()).toEqual([]);
  });

  it('does without storage where the frame may not use it', () => {
    const sandboxed = vi.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('The frame is sandboxed.', 'SecurityError');
    });
    try {
      expect(() => writeDraft('task.7', '', { name: 'x' })).not.toThrow();
      expect(readDraft('task.7', '')).toBeNull();
      expect(() => clearDraft('task.7')).not.toThrow();
    } finally {
      sandboxed.mockRestore();
    }
  });

  it('does without a full storage', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('Full.', 'QuotaExceededError');
    });
    expect(() => writeDraft('task.7', '', { name: 'x' })).not.toThrow();
    expect(readDraft('task.7', '')).toBeNull();
  });

  it('names long texts briefly and stably', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `acc-${i}`).join(',');
    expect(fingerprint(ids)).toBe(fingerprint(ids));
    expect(fingerprint(ids).length).toBeLessThan(12);
    expect(fingerprint(ids)).not.toBe(fingerprint(`${ids},acc-5000`));
  });
});

describe('useKeptDraft', () => {
  const options = {
    slot: 'note',
    scope: 's',
    initial: '',
    toStored: (value: string) => value,
    fromStored: (stored: unknown) => (typeof stored === 'string' ? stored : null),
    changed: (value: string, initial: string) => value !== initial,
  };

  it('keeps each change, restores it when the editor opens again, and discards it on request', () => {
    const first = renderHook(() => useKeptDraft(options));
    expect(first.result.current.restoredAt).toBeNull();
    act(() => first.result.current.setValue('hello'));
    first.unmount();

    const second = renderHook(() => useKeptDraft(options));
    expect(second.result.current.value).toBe('hello');
    expect(second.result.current.restoredAt).toEqual(expect.any(Number));
    act(() => second.result.current.discard());
    expect(second.result.current.value).toBe('');
    expect(second.result.current.restoredAt).toBeNull();
    expect(kept()).toEqual([]);
  });

  it('forgets the draft once the input is back where it started, or saved', () => {
    const { result } = renderHook(() => useKeptDraft(options));
    act(() => result.current.setValue('x'));
    expect(kept()).toEqual(['orgwarden.draft.note']);
    act(() => result.current.setValue(''));
    expect(kept()).toEqual([]);
    act(() => result.current.setValue('y'));
    act(() => result.current.forget());
    expect(kept()).toEqual([]);
  });

  it('offers nothing that equals where the editor starts, or that it cannot read', () => {
    writeDraft('note', 's', '');
    expect(renderHook(() => useKeptDraft(options)).result.current.restoredAt).toBeNull();
    writeDraft('note', 's', 42);
    expect(renderHook(() => useKeptDraft(options)).result.current.value).toBe('');
    expect(kept()).toEqual([]);
  });
});
