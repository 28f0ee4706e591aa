import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, so ranges can be compared with shifts. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * Parses a canonical address as DNS answers and URL hosts give them: dotted
 * decimal IPv4 (no leading zeros, which some stacks read as octal) or IPv6,
 * with or without brackets and zone. Undefined when it is not an address.
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return { family: 4, value: ipv4ToBigint(bare) };

  // A zone names an interface, not part of the address, and only link-local has one.
  const withoutZone = bare.split('%')[0] ?? '';
  if (isIPv6(withoutZone)) return { family: 6, value: ipv6ToBigint(withoutZone) };

  return undefined;
}

/** Parses `a.b.c.d/n`, `x::y/n`, or a bare address (a single-host range). */
export function parseCidr(text: string): Cidr | undefined {
  const [addressPart, prefixPart, extra] = text.trim().split('/');
  if (addressPart === undefined || extra !== undefined) return undefined;

  const address = parseIp(addressPart);
  if (!address || addressPart.includes('%')) return undefined;

  const bits = BITS[address.family];
  if (prefixPart !== undefined && !/^\d{1,3}$/.test(prefixPart)) return undefined;
  const prefix = prefixPart === undefined ? bits : Number(prefixPart);
  if (prefix > bits) return undefined;

  return { family: address.family, network: mask(address.value, bits, prefix), prefix };
}

export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.family !== address.family) return false;

  return mask(address.value, BITS[address.family], cidr.prefix) === cidr.network;
}

/** Builds a range from a literal written in this codebase; a typo fails at load. */
export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`Invalid CIDR literal ${text}`);

  return parsed;
}

export function ipv4FromLowBits(value: bigint): IpAddress {
  return { family: 4, value: value & 0xffffffffn };
}

function mask(value: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

function ipv4ToBigint(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** Expects text that `isIPv6` accepted, so only the layout needs handling here. */
function ipv6ToBigint(text: string): bigint {
  const halves = text.split('::');
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...new Array<number>(zeros).fill(0), ...tail];

  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function groupsOf(part: string): number[] {
  if (part === '') return [];

  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [parseInt(group, 16)];

    // A dotted IPv4 tail fills the last two groups.
    const v4 = ipv4ToBigint(group);
    return [Number(v4 >> 16n), Number(v4 & 0xffffn)];
  });
}
