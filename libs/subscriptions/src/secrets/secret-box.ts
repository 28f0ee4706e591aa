import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Seals webhook signing secrets with AES-256-GCM, so the event store and the
 * subscriptions table hold only ciphertext. Each secret is bound to its
 * subscription (as additional data): a sealed value copied onto another
 * subscription does not open. `v1:<key id>:<iv|tag|ciphertext>`; the key id
 * names the key in errors, never the key itself.
 */
export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`the key must be ${KEY_BYTES} bytes`);
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
    return `${VERSION}:${this.keyId}:${packed}`;
  }

  open(sealed: string, boundTo: string): string {
    const [version, keyId, packed, extra] = sealed.split(':');
    if (version !== VERSION || !keyId || !packed || extra !== undefined) {
      throw new SecretBoxError('not a sealed secret');
    }
    if (keyId !== this.keyId) {
      throw new SecretBoxError(
        `sealed under key ${keyId}, but the key in use is ${this.keyId}: ` +
          'was SECRETS_ENCRYPTION_KEY changed?',
      );
    }

    const bytes = Buffer.from(packed, 'base64');
    const iv = bytes.subarray(0, IV_BYTES);
    const tag = bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(tag);
      const opened = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return opened.toString('utf8');
    } catch {
      throw new SecretBoxError(
        'the sealed secret does not open: tampered, or sealed for another subscription',
      );
    }
  }
}
