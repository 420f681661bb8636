import { describe, expect, it } from 'vitest';
import { dispositionFilename } from './transfer';

describe('dispositionFilename', () => {
  it('reads the plain and the RFC 6266 forms, preferring filename*', () => {
    expect(dispositionFilename('attachment; filename="users.csv"')).toBe('users.csv');
    expect(dispositionFilename('attachment; filename=users.json')).toBe('users.json');
    expect(
      dispositionFilename(
        `attachment; filename="users.xlsx"; filename*=UTF-8''Benutzer%20%C3%BC.xlsx`,
      ),
    ).toBe('Benutzer ü.xlsx');
    expect(dispositionFilename('attachment')).toBeNull();
    expect(dispositionFilename(null)).toBeNull();
  });
});
