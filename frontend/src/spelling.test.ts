import { describe, expect, it } from 'vitest';

// Every source file of the SPA but the generated API types (the server's doc comments) and this
// file, which has to name the spelling it looks for.
const sources = import.meta.glob<string>(
  ['./**/*.{ts,tsx}', '!./api/schema.d.ts', '!./spelling.test.ts'],
  { query: '?raw', import: 'default', eager: true },
);

describe('wording', () => {
  it('spells "license" the American way everywhere', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    const british = Object.entries(sources)
      .filter(([, text]) => /licence/i.test(text))
      .map(([path]) => path);
    expect(british).toEqual([]);
  });
});
