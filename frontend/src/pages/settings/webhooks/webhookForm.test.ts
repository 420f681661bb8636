import { describe, expect, it } from 'vitest';
import { webhookView } from '../../../test/webhooks';
import {
  EMPTY_DRAFT,
  type WebhookDraft,
  draftChanged,
  draftOf,
  inputOf,
  isLocalHost,
  validateDraft,
} from './webhookForm';

const VALID: WebhookDraft = {
  name: 'Key expiry ticket',
  url: 'https://automation.atlassian.com/pro/hooks/abc123',
  events: ['orgKeyExpiry'],
  secret: '',
  notes: '',
  active: true,
};

const urlError = (url: string) => validateDraft({ ...VALID, url }).url;

describe('webhook form', () => {
  it('accepts a complete draft', () => {
    expect(validateDraft(VALID)).toEqual({});
  });

  it('says what is missing on an empty form', () => {
    expect(validateDraft(EMPTY_DRAFT)).toEqual({
      name: 'Enter a name for the webhook.',
      url: 'Enter the URL that receives the notifications.',
      events: 'Choose at least one event.',
    });
    expect(validateDraft({ ...VALID, name: '   ' }).name).toBe('Enter a name for the webhook.');
    expect(validateDraft({ ...VALID, name: 'x'.repeat(101) }).name).toBe(
      'Use a name of at most 100 characters.',
    );
  });

  it('requires https unless the receiver is local', () => {
    expect(urlError('http://hooks.example.com/in')).toBe(
      'Use https:// : plain http is only for receivers on this machine or a private network.',
    );
    expect(urlError('ftp://example.com/in')).toBe('Use an https:// URL.');
    expect(urlError('example.com/in')).toBe('Enter a full URL, starting with https://.');
    expect(urlError('https://bob:pw@example.com/in')).toMatch(
      /Leave the user name and password out/,
    );
    for (const local of [
      'http://localhost:8080/hook',
      'http://127.0.0.1:9000/automation/webhooks/1',
      'http://[::1]:9000/x',
      'http://10.1.2.3/x',
      'http://192.168.0.5/x',
      'http://172.20.0.1/x',
      'http://receiver:8080/x',
      'http://hooks.internal/x',
    ]) {
      expect(urlError(local)).toBeUndefined();
    }
    expect(urlError('http://172.32.0.1/x')).toBeDefined();
  });

  it('tells local hosts from public ones', () => {
    expect(isLocalHost('LOCALHOST')).toBe(true);
    expect(isLocalHost('api.localhost')).toBe(true);
    expect(isLocalHost('169.254.169.254')).toBe(true);
    expect(isLocalHost('fd00::1')).toBe(true);
    expect(isLocalHost('8.8.8.8')).toBe(false);
    expect(isLocalHost('example.com')).toBe(false);
  });

  it('checks a given secret as the server does, and takes none', () => {
    const secretError = (secret: string) => validateDraft({ ...VALID, secret }).secret;
    expect(secretError('')).toBeUndefined();
    // whsec_ and base64 of 24 bytes (what orgwarden generates), up to 64 bytes.
    expect(secretError(`whsec_${'A'.repeat(32)}`)).toBeUndefined();
    expect(secretError(`whsec_${'A'.repeat(86)}==`)).toBeUndefined();
    expect(secretError(`whsec_${'A'.repeat(28)}`)).toMatch(/base64 of 24 to 64 bytes/);
    expect(secretError(`whsec_${'A'.repeat(88)}`)).toMatch(/base64 of 24 to 64 bytes/);
    expect(secretError('whsec_abc$defghijklmnopqrstuvwxyz0123456')).toMatch(
      /base64 of 24 to 64 bytes/,
    );
    // An Automation webhook's own secret.
    expect(secretError('automation-token-1')).toBeUndefined();
    expect(secretError('short')).toBe(
      'Use 8 to 200 characters, or leave the field empty to get a secret.',
    );
    expect(secretError('x'.repeat(201))).toBe(
      'Use 8 to 200 characters, or leave the field empty to get a secret.',
    );
    expect(secretError('with a space 0123456789')).toBe(
      'The secret cannot contain spaces or line breaks.',
    );
  });

  it('refuses control characters in the name and overlong notes', () => {
    expect(validateDraft({ ...VALID, name: 'a\tb' }).name).toBe(
      'Use a name without line breaks or tabs.',
    );
    expect(validateDraft({ ...VALID, notes: 'n'.repeat(1001) }).notes).toBe(
      'Use notes of at most 1000 characters.',
    );
    expect(validateDraft({ ...VALID, notes: 'n'.repeat(1000) }).notes).toBeUndefined();
  });

  it('makes the request body: trimmed, without an empty secret or notes', () => {
    expect(
      inputOf({ ...VALID, name: '  Ticket ', url: ' https://x.example/in ', notes: '  ' }),
    ).toEqual({
      name: 'Ticket',
      url: 'https://x.example/in',
      events: ['orgKeyExpiry'],
      active: true,
    });
    expect(inputOf({ ...VALID, secret: 'whsec_abcd', notes: 'Owned by IT' })).toMatchObject({
      secret: 'whsec_abcd',
      notes: 'Owned by IT',
    });
  });

  it('edits a saved webhook without its secret or the test event', () => {
    const saved = webhookView({
      name: 'All',
      url: 'https://x.example/in',
      events: ['syncFailed', 'test'],
      notes: '',
      active: false,
    });
    expect(draftOf(saved)).toEqual({
      name: 'All',
      url: 'https://x.example/in',
      events: ['syncFailed'],
      secret: '',
      notes: '',
      active: false,
    });
  });

  it('tells a changed draft from where it started, whatever order the events are in', () => {
    expect(draftChanged(EMPTY_DRAFT, EMPTY_DRAFT)).toBe(false);
    expect(
      draftChanged(
        { ...VALID, events: ['syncFailed', 'orgKeyExpiry'] },
        {
          ...VALID,
          events: ['orgKeyExpiry', 'syncFailed'],
        },
      ),
    ).toBe(false);
    expect(draftChanged({ ...VALID, events: [] }, VALID)).toBe(true);
    expect(draftChanged({ ...VALID, secret: 'a-new-secret' }, VALID)).toBe(true);
    expect(draftChanged({ ...VALID, notes: ' ' }, VALID)).toBe(true);
    expect(draftChanged({ ...VALID, active: false }, VALID)).toBe(true);
  });
});
