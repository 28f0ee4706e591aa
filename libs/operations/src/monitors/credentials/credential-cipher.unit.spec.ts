import { randomBytes } from 'node:crypto';

import { ValidationError } from '@observe/core';

import { CredentialCipher, CredentialsUnreadableError } from './credential-cipher';
import { readCredentials } from './monitor-credentials';

describe('CredentialCipher', () => {
  const credentials = { headers: { Authorization: 'Bearer s3cret-value' } };

  it('opens what it sealed for the same monitor', () => {
    const cipher = new CredentialCipher(randomBytes(32));

    const sealed = cipher.seal(credentials, 'm-1');

    expect(sealed).not.toContain('s3cret');
    expect(sealed.startsWith(`v1.${cipher.keyId}.`)).toBe(true);
    expect(cipher.open(sealed, 'm-1')).toEqual(credentials);
  });

  it('seals the same credentials differently each time', () => {
    const cipher = new CredentialCipher(randomBytes(32));

    expect(cipher.seal(credentials, 'm-1')).not.toBe(cipher.seal(credentials, 'm-1'));
  });

  it('refuses credentials moved to another monitor, tampered with, or under another key', () => {
    const cipher = new CredentialCipher(randomBytes(32));
    const sealed = cipher.seal(credentials, 'm-1');
    const parts = sealed.split('.');
    const tampered = [...parts.slice(0, 4), Buffer.from('x').toString('base64url')].join('.');

    expect(() => cipher.open(sealed, 'm-2')).toThrow(CredentialsUnreadableError);
    expect(() => cipher.open(tampered, 'm-1')).toThrow(CredentialsUnreadableError);
    expect(() => new CredentialCipher(randomBytes(32)).open(sealed, 'm-1')).toThrow(
      /another SECRETS_ENCRYPTION_KEY/,
    );
  });
});

describe('readCredentials', () => {
  it('accepts headers', () => {
    expect(readCredentials({ headers: { 'X-Api-Key': 'k' } })).toEqual({
      headers: { 'X-Api-Key': 'k' },
    });
  });

  it('refuses bad headers without echoing their values', () => {
    let refusal: unknown;
    try {
      readCredentials({ headers: { Host: 'evil', 'X-Key': 'line\r\nbreak-s3cret' }, token: 'x' });
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(ValidationError);
    const fields = (refusal as ValidationError).fieldErrors;
    expect(fields.map((error) => error.field)).toEqual([
      'credentials.token',
      'credentials.headers.Host',
      'credentials.headers.X-Key',
    ]);
    expect(JSON.stringify(fields)).not.toContain('s3cret');
  });
});
