import { describe, expect, it } from 'vitest';
import {
  ApiError,
  CLIENT_CODES,
  errorField,
  fieldMessages,
  parseErrorEnvelope,
  toApiError,
} from './errors';

describe('parseErrorEnvelope', () => {
  it('reads code, message and details from the envelope', () => {
    const err = parseErrorEnvelope(401, {
      error: {
        code: 'invalid_api_key',
        message: 'Atlassian rejected this API key.',
        details: { status: 401 },
      },
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
    expect(err.message).toBe('Atlassian rejected this API key.');
    expect(err.details).toEqual({ status: 401 });
  });

  it('parses an envelope still in text form', () => {
    const err = parseErrorEnvelope(
      422,
      '{"error":{"code":"validation_failed","message":"Bad date."}}',
    );
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('Bad date.');
    expect(err.details).toBeUndefined();
  });

  it('falls back to the status for bodies without an envelope', () => {
    expect(parseErrorEnvelope(502, '<html>Bad gateway</html>').code).toBe('http_502');
    expect(parseErrorEnvelope(502, '<html>Bad gateway</html>').message).toMatch(/HTTP 502/);
    expect(parseErrorEnvelope(401, undefined).message).toMatch(/Reload the page/);
    expect(parseErrorEnvelope(400, { message: 'flat' }).code).toBe('http_400');
    expect(parseErrorEnvelope(400, { error: 'a string' }).code).toBe('http_400');
    expect(parseErrorEnvelope(400, { error: { code: '', message: 'x' } }).code).toBe('http_400');
    expect(parseErrorEnvelope(400, { error: { code: 'x' } }).code).toBe('http_400');
  });
});

describe('fieldMessages', () => {
  it('flattens field errors from details.fields or a flat map', () => {
    const nested = new ApiError(422, 'validation_failed', 'x', {
      fields: { expiresAt: 'must be a date' },
    });
    expect(fieldMessages(nested)).toEqual([['expiresAt', 'must be a date']]);
    const flat = new ApiError(422, 'validation_failed', 'x', {
      key: ['is empty', 'is short'],
      n: 3,
    });
    expect(fieldMessages(flat)).toEqual([['key', 'is empty is short']]);
    expect(fieldMessages(new ApiError(400, 'x', 'y'))).toEqual([]);
  });

  it('shows no details of other codes, whose message names them already', () => {
    const refused = new ApiError(409, 'filter_in_use', 'Used by the tasks "Weekly".', {
      tasks: ['Weekly'],
    });
    expect(fieldMessages(refused)).toEqual([]);
  });

  it('names the one field of the server’s own convention, without repeating its message', () => {
    const one = new ApiError(400, 'validation_failed', 'url: use https', { field: 'url' });
    expect(errorField(one)).toBe('url');
    expect(fieldMessages(one)).toEqual([]);
    expect(errorField(new ApiError(400, 'x', 'y', { fields: { a: 'b' } }))).toBeNull();
  });
});

describe('toApiError', () => {
  it('keeps ApiErrors and turns anything else into a network error', () => {
    const err = new ApiError(403, 'forbidden', 'no');
    expect(toApiError(err)).toBe(err);
    const net = toApiError(new TypeError('Failed to fetch'));
    expect(net.code).toBe(CLIENT_CODES.network);
    expect(net.status).toBe(0);
  });
});
