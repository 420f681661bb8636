import { describe, expect, it } from 'vitest';
import { readRoute, routeSearch } from './route';

describe('route', () => {
  const host = '?xdm_e=https%3A%2F%2Facme.atlassian.net&jwt=abc';

  it('reads the section and its own parameters, not the host’s', () => {
    const route = readRoute(`${host}&view=users&filter=%7B%7D&page=2`);
    expect(route.section).toBe('users');
    expect([...route.params.keys()]).toEqual(['filter', 'page']);
  });

  it('reads a Jira deep link’s ac.-prefixed parameters, the plain ones winning', () => {
    const route = readRoute(`${host}&ac.view=operations&ac.op=12&ac.page=4&page=2`);
    expect(route.section).toBe('operations');
    expect(route.params.get('op')).toBe('12');
    expect(route.params.get('page')).toBe('2');
  });

  it('opens a section with fresh parameters, keeping the host’s', () => {
    const next = new URLSearchParams(
      routeSearch(`${host}&view=users&page=3`, 'dashboard', { days: '30' }, false),
    );
    expect(next.get('jwt')).toBe('abc');
    expect(next.get('view')).toBe('dashboard');
    expect(next.get('days')).toBe('30');
    expect(next.get('page')).toBeNull();
  });

  it('keeps the dashboard’s site when another section opens, unless the patch removes it', () => {
    const away = routeSearch(`${host}&view=dashboard&site=s-1&days=30`, 'users', {}, false);
    expect(readRoute(away).params.get('site')).toBe('s-1');
    expect(readRoute(away).params.get('days')).toBeNull();
    const back = routeSearch(away, 'dashboard', {}, false);
    expect(readRoute(back).params.get('site')).toBe('s-1');
    const cleared = routeSearch(back, 'dashboard', { site: null }, false);
    expect(readRoute(cleared).params.get('site')).toBeNull();
  });

  it('patches parameters in place; null removes one', () => {
    const next = new URLSearchParams(
      routeSearch(`${host}&view=users&page=3&sort=email`, 'users', { page: null, desc: '1' }, true),
    );
    expect(next.get('page')).toBeNull();
    expect(next.get('sort')).toBe('email');
    expect(next.get('desc')).toBe('1');
    expect(next.get('xdm_e')).toBe('https://acme.atlassian.net');
  });

  it('reads a task run deep link', () => {
    const route = readRoute(
      `${host}&view=tasks&task=12&process=3f2b8c1e-0000-4000-8000-000000000001`,
    );
    expect(route.section).toBe('tasks');
    expect(route.params.get('task')).toBe('12');
    expect(route.params.get('process')).toBe('3f2b8c1e-0000-4000-8000-000000000001');
  });

  it('reads a deep link’s Connect ac. parameters, and makes them the app’s own once it navigates', () => {
    const link = `${host}&ac.view=tasks&ac.task=12&ac.process=p-1`;
    const route = readRoute(link);
    expect(route.section).toBe('tasks');
    expect(route.params.get('task')).toBe('12');
    expect(route.params.get('process')).toBe('p-1');

    const back = new URLSearchParams(routeSearch(link, 'tasks', { task: '12' }, false));
    expect([back.get('view'), back.get('task'), back.get('process')]).toEqual([
      'tasks',
      '12',
      null,
    ]);
    expect([...back.keys()].some((k) => k.startsWith('ac.'))).toBe(false);
    const patched = new URLSearchParams(routeSearch(link, 'tasks', { page: '2' }, true));
    expect([patched.get('task'), patched.get('process'), patched.get('page')]).toEqual([
      '12',
      'p-1',
      '2',
    ]);
  });
});
