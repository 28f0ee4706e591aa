import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TOKEN = /^obs_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;
const PREFIX_LENGTH = 8;

export interface GeneratedToken {
  token: string;
  /** Non-secret, shown in lists so a person can tell tokens apart. */
  prefix: string;
}

/**
 * `obs_` + 256 random bits in base62 + a CRC32 checksum, so secret scanners
 * and our own parser can reject a mistyped token without a database lookup.
 */
export function generateToken(): GeneratedToken {
  const body = toBase62(randomBytes(32), 43);
  const token = `obs_${body}${toBase62(crc32Bytes(body), 6)}`;
  return { token, prefix: `obs_${body.slice(0, PREFIX_LENGTH)}` };
}

/** The display prefix of a well-formed token, or undefined when it is malformed. */
export function parseToken(candidate: string): { prefix: string } | undefined {
  const match = TOKEN.exec(candidate);
  if (!match) return undefined;

  const [, body, checksum] = match;
  if (toBase62(crc32Bytes(body), 6) !== checksum) return undefined;
  return { prefix: `obs_${body.slice(0, PREFIX_LENGTH)}` };
}

function toBase62(bytes: Buffer, length: number): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  while (out.length < length) {
    out = ALPHABET[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

function crc32Bytes(text: string): Buffer {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}
