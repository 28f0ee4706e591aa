import { createHmac, timingSafeEqual } from 'node:crypto';

/** Only a keyed hash of a token is stored; the key never enters the event store. */
export class TokenHasher {
  constructor(private readonly key: Buffer) {}

  hash(token: string): Buffer {
    return createHmac('sha256', this.key).update(token, 'utf8').digest();
  }

  /** Compares a hash from `hash` with a stored one in constant time. */
  same(computed: Buffer, storedHash: Buffer): boolean {
    return computed.length === storedHash.length && timingSafeEqual(computed, storedHash);
  }
}
