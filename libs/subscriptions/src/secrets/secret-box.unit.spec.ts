import { randomBytes } from 'node:crypto';

import { SecretBox, SecretBoxError } from './secret-box';

const SUBSCRIPTION = '5d0c3a8e-2f4b-4f61-9a57-0e8d1c2b3a40';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, and the sealed form does not contain the secret', () => {
    const sealed = box.seal(SECRET, SUBSCRIPTION);

    expect(sealed).toMatch(new RegExp(`^v1:${box.keyId}:`));
    expect(sealed).not.toContain(SECRET.slice(6, 20));
    expect(box.open(sealed, SUBSCRIPTION)).toBe(SECRET);
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal(SECRET, SUBSCRIPTION)).not.toBe(box.seal(SECRET, SUBSCRIPTION));
  });

  it('refuses a value sealed for another subscription', () => {
    const sealed = box.seal(SECRET, SUBSCRIPTION);

    expect(() => box.open(sealed, 'another-subscription')).toThrow(SecretBoxError);
  });

  it('refuses a tampered value', () => {
    const sealed = box.seal(SECRET, SUBSCRIPTION);
    const [version, keyId, packed = ''] = sealed.split(':');
    const bytes = Buffer.from(packed, 'base64');
    bytes[bytes.length - 1] ^= 0x01;

    expect(() => box.open(`${version}:${keyId}:${bytes.toString('base64')}`, SUBSCRIPTION)).toThrow(
      /does not open/,
    );
  });

  it('names both keys when the key changed, and never the key itself', () => {
    const sealed = box.seal(SECRET, SUBSCRIPTION);
    const other = new SecretBox(randomBytes(32));

    expect(() => other.open(sealed, SUBSCRIPTION)).toThrow(
      new RegExp(`key ${box.keyId}.*${other.keyId}`),
    );
  });
});
