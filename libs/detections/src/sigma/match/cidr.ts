/** IPv4 and IPv6 addresses and CIDR blocks, as big integers so both families share one path. */
export interface CidrBlock {
  version: 4 | 6;
  network: bigint;
  prefix: number;
}

/** An address; an IPv4-mapped IPv6 address has both forms so it matches blocks of either kind. */
export interface IpAddress {
  v4?: bigint;
  v6?: bigint;
}

const V4_PART = /^(0|[1-9]\d{0,2})$/;
const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PREFIX = /^(0|[1-9]\d{0,2})$/;
const MAPPED_PREFIX = 0xffffn << 32n;

export function parseCidr(text: string): CidrBlock | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined) return undefined;

  const v4 = parseIpv4(address);
  const v6 = v4 === undefined ? parseIpv6(address) : undefined;
  const version = v4 !== undefined ? 4 : 6;
  const value = v4 ?? v6;
  if (value === undefined) return undefined;

  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !PREFIX.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;

  return { version, network: mask(value, bits, prefix), prefix };
}

export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4 !== undefined) return { v4 };

  const v6 = parseIpv6(trimmed);
  if (v6 === undefined) return undefined;
  const mapped = v6 >> 32n === 0xffffn ? v6 - MAPPED_PREFIX : undefined;
  return mapped === undefined ? { v6 } : { v4: mapped, v6 };
}

export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  const value = block.version === 4 ? address.v4 : address.v6;
  if (value === undefined) return false;

  const bits = block.version === 4 ? 32 : 128;
  return mask(value, bits, block.prefix) === block.network;
}

function mask(value: bigint, bits: number, prefix: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;

  let value = 0n;
  for (const part of parts) {
    if (!V4_PART.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  // A zone id (`fe80::1%eth0`) names an interface, not part of the address.
  const address = text.split('%')[0] ?? '';
  const halves = address.split('::');
  if (halves.length > 2) return undefined;

  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;

  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;

  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

/** Groups of one side of `::`; the last side may end in dotted IPv4 (two groups). */
function parseGroups(text: string, mayEndInV4: boolean): number[] | undefined {
  if (text === '') return [];

  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    if (last && mayEndInV4 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (V6_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}
