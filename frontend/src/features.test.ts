import { describe, expect, it } from 'vitest';
import { sectionFromView, visibleSections } from './features';

describe('features', () => {
  it('shows only sections whose backend exists, and without an API key only Settings', () => {
    expect(visibleSections().map((s) => s.id)).toEqual([
      'dashboard',
      'users',
      'operations',
      'tasks',
      'settings',
      'audit',
    ]);
    expect(visibleSections(false).map((s) => s.id)).toEqual(['settings']);
  });

  it('opens the section named by ?view=, else the Dashboard', () => {
    expect(sectionFromView('settings')).toBe('settings');
    expect(sectionFromView('users')).toBe('users');
    expect(sectionFromView('operations')).toBe('operations');
    expect(sectionFromView('audit')).toBe('audit');
    expect(sectionFromView('tasks')).toBe('tasks');
    expect(sectionFromView('webhooks')).toBe('dashboard');
    expect(sectionFromView(null)).toBe('dashboard');
  });
});
