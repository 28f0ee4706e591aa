import { FieldErrors } from '../../on-call/domain/field-errors';

/**
 * What a monitor sends to authenticate its checks: HTTP headers such as
 * `Authorization` or `X-Api-Key`. Held in memory only while a check runs.
 */
export interface MonitorCredentials {
  headers: Record<string, string>;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
// Header values may not break the request: no line breaks, no NUL.
const HEADER_VALUE = /^[^\r\n\0]{1,4096}$/;
const MAX_HEADERS = 20;
// The client decides these; a credential must not redirect or reframe the request.
const RESERVED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade']);

/**
 * Checks credentials as given. Field errors name the header, never its
 * value, so a refusal cannot echo a secret back into logs or answers.
 */
export function readCredentials(given: unknown): MonitorCredentials {
  const errors = new FieldErrors();
  const headers =
    given !== null && typeof given === 'object' && !Array.isArray(given)
      ? (given as Record<string, unknown>).headers
      : undefined;
  const extra =
    given !== null && typeof given === 'object'
      ? Object.keys(given).filter((key) => key !== 'headers')
      : [];
  extra.forEach((key) =>
    errors.add(`credentials.${key}`, 'is not a credential field; use headers'),
  );

  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    errors.add('credentials.headers', 'must be an object of header names to values');
    errors.throwIfAny('the credentials are not valid');
    return { headers: {} };
  }

  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_HEADERS) {
    errors.add('credentials.headers', `must hold 1 to ${MAX_HEADERS} headers`);
  }
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const field = `credentials.headers.${HEADER_NAME.test(name) ? name : '(name)'}`;
    if (!HEADER_NAME.test(name)) errors.add(field, 'is not a valid HTTP header name');
    else if (RESERVED.has(name.toLowerCase())) errors.add(field, 'is set by the monitor itself');
    else if (seen.has(name.toLowerCase())) errors.add(field, 'is given twice');
    seen.add(name.toLowerCase());
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      errors.add(field, 'must be 1-4096 characters without line breaks');
    }
  }
  errors.throwIfAny('the credentials are not valid');
  return { headers: headers as Record<string, string> };
}
