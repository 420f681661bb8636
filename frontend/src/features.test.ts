import { describe, expect, it } from 'vitest';
import { sectionFor, sectionFromView, visibleSections } from './features';

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

  it('leaves out automated tasks for an admin confined to what they administer', () => {
    expect(visibleSections(true, true).map((s) => s.id)).toEqual([
      'dashboard',
      'users',
      'operations',
      'settings',
      'audit',
    ]);
    expect(sectionFor('tasks', true)).toBe('dashboard');
    expect(sectionFor('tasks', false)).toBe('tasks');
    expect(sectionFor('audit', true)).toBe('audit');
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
