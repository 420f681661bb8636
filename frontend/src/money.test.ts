import { describe, expect, it } from 'vitest';
import { money } from './money';

describe('money', () => {
  it('writes dollars by default, without cents for whole amounts', () => {
    expect(money(1234.5)).toBe('$1,234.50');
    expect(money(1200)).toBe('$1,200');
  });

  it('writes the tenant currency', () => {
    expect(money(12, 'EUR')).toBe('€12');
    expect(money(3.25, 'GBP')).toBe('£3.25');
  });

  it('writes an unknown code before the amount instead of failing', () => {
    expect(money(5, 'usd!')).toBe('usd! 5');
  });
});
