import { afterEach, describe, expect, it } from 'vitest';
import { ATLASSIAN_ALL_JS, allJsUrl, getContextToken, isAtlassianHost, resetApForTests } from './ap';
import { ApiError } from './api/errors';
import { installFakeAp } from './test/fakeServer';

describe('allJsUrl', () => {
  it('uses the CDN inside Jira Cloud', () => {
    expect(allJsUrl('?xdm_e=https%3A%2F%2Facme.atlassian.net&xdm_c=x')).toBe(ATLASSIAN_ALL_JS);
    expect(allJsUrl('?xdm_e=https://acme.jira-dev.com')).toBe(ATLASSIAN_ALL_JS);
  });

  it("uses the host's own /connect/all.js elsewhere (cloudsim)", () => {
    expect(allJsUrl('?xdm_e=http%3A%2F%2F127.0.0.1%3A9090%2Fjira%2Fsite1&cp=')).toBe(
      'http://127.0.0.1:9090/connect/all.js',
    );
  });

  it('loads nothing without a usable host', () => {
    expect(allJsUrl('')).toBeNull();
    expect(allJsUrl('?xdm_e=not%20a%20url')).toBeNull();
    expect(allJsUrl('?xdm_e=javascript%3Aalert(1)')).toBeNull();
  });

  it('matches Atlassian hosts by suffix only', () => {
    expect(isAtlassianHost('acme.atlassian.net')).toBe(true);
    expect(isAtlassianHost('atlassian.net.evil.example')).toBe(false);
  });
});

describe('getContextToken', () => {
  afterEach(() => {
    delete window.AP;
    resetApForTests();
  });

  it('asks AP for a fresh token every time', async () => {
    const ap = installFakeAp();
    expect(await getContextToken()).toBe('token-1');
    expect(await getContextToken()).toBe('token-2');
    expect(ap.tokensIssued()).toBe(2);
  });

  it('explains that the app runs inside Jira when there is no host', async () => {
    resetApForTests();
    await expect(getContextToken()).rejects.toBeInstanceOf(ApiError);
    await expect(getContextToken()).rejects.toMatchObject({ code: 'not_in_jira' });
  });
});
