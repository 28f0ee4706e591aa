import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

import { DomainError } from '@observe/core';

import { MonitorCredentials } from './monitor-credentials';

const VERSION = 'v1';
const IV_BYTES = 12;

/** Credentials sealed under another key, or tampered with: they must be set again. */
export class CredentialsUnreadableError extends DomainError {
  constructor(reason: string) {
    super('illegal_state', `the monitor's credentials cannot be read (${reason}); set them again`);
  }
}

/**
 * AES-256-GCM for monitor credentials. The monitor id is authenticated with
 * the ciphertext, so sealed credentials cannot be moved to another monitor.
 * Format: `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export class CredentialCipher {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the credentials key must be 32 bytes');
    this.keyId = createHash('sha256')
      .update('24observe key id')
      .update(key)
      .digest('hex')
      .slice(0, 12);
  }

  seal(credentials: MonitorCredentials, monitorId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`monitor:${monitorId}`, 'utf8'));
    const data = Buffer.concat([
      cipher.update(JSON.stringify(credentials), 'utf8'),
      cipher.final(),
    ]);
    const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
    return [VERSION, this.keyId, ...parts].join('.');
  }

  open(sealed: string, monitorId: string): MonitorCredentials {
    const [version, keyId, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || data === undefined) {
      throw new CredentialsUnreadableError('unknown format');
    }
    if (keyId !== this.keyId) {
      throw new CredentialsUnreadableError('sealed under another SECRETS_ENCRYPTION_KEY');
    }

    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`monitor:${monitorId}`, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(data, 'base64url')),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString('utf8')) as MonitorCredentials;
    } catch {
      throw new CredentialsUnreadableError('authentication failed');
    }
  }
}
