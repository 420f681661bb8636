import { describe, expect, it } from 'vitest';
import { sectionFromView, visibleSections } from './features';

describe('features', () => {
  it('shows only sections whose backend exists', () => {
    expect(visibleSections().map((s) => s.id)).toEqual(['overview', 'settings']);
  });

  it('opens the section named by ?view=, else the first one', () => {
    expect(sectionFromView('settings')).toBe('settings');
    expect(sectionFromView('users')).toBe('overview');
    expect(sectionFromView(null)).toBe('overview');
  });
});
