import { lookup } from 'node:dns/promises';

import { ValidationError } from '@observe/core';

import {
  Cidr,
  IpAddress,
  cidr,
  cidrContains,
  ipv4FromLowBits,
  parseCidr,
  parseIp,
} from './ip-address';

/** Why an address is not a public one; the name an operator reads in the refusal. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud-metadata'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

/** How an IPv6 address carries the IPv4 address it is judged by. */
export type Ipv4Embedding = 'ipv4-mapped' | 'nat64' | '6to4';

export type AddressVerdict =
  | { allowed: true; reason: 'public' | 'allow-listed' }
  | { allowed: false; addressClass: AddressClass; embedding?: Ipv4Embedding };

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Answers every address a hostname resolves to, as the connection would see them. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export type SsrfRefusalReason =
  'invalid-url' | 'scheme' | 'credentials' | 'unresolvable' | 'address';

export class SsrfRefusedError extends ValidationError {
  constructor(
    message: string,
    readonly reason: SsrfRefusalReason,
    readonly host?: string,
    readonly address?: string,
    readonly addressClass?: AddressClass,
  ) {
    const details: Record<string, unknown> = { reason };
    if (host !== undefined) details.host = host;
    if (address !== undefined) details.address = address;
    if (addressClass !== undefined) details.addressClass = addressClass;
    super(message, [{ field: 'url', message }], details);
  }
}

export const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

interface Range {
  range: Cidr;
  addressClass: AddressClass;
}

const ranges = (entries: Array<[string, AddressClass]>): Range[] =>
  entries.map(([text, addressClass]) => ({ range: cidr(text), addressClass }));

// First match wins, so a narrow range sits before the wider one holding it.
const IPV4_RANGES = ranges([
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade-nat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.169.254/32', 'cloud-metadata'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'broadcast'],
  ['240.0.0.0/4', 'reserved'],
]);

const IPV6_RANGES = ranges([
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'],
  ['2001:db8::/32', 'documentation'],
  ['2001::/23', 'reserved'],
  ['3fff::/20', 'documentation'],
  ['fd00:ec2::254/128', 'cloud-metadata'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'],
  ['ff00::/8', 'multicast'],
]);

const IPV4_MAPPED = cidr('::ffff:0:0/96');
const NAT64 = cidr('64:ff9b::/96');
const SIX_TO_FOUR = cidr('2002::/16');
// Everything routable on the IPv6 internet today lies here; the rest is reserved.
const GLOBAL_UNICAST = cidr('2000::/3');

export interface EmbeddedIpv4 {
  ipv4: IpAddress;
  embedding: Ipv4Embedding;
}

/** The IPv4 address an IPv6 one stands for, when packets to it end up there. */
export function embeddedIpv4(address: IpAddress): EmbeddedIpv4 | undefined {
  if (address.family === 4) return undefined;

  const low32 = ipv4FromLowBits(address.value);
  if (cidrContains(IPV4_MAPPED, address)) return { ipv4: low32, embedding: 'ipv4-mapped' };
  if (cidrContains(NAT64, address)) return { ipv4: low32, embedding: 'nat64' };
  // 6to4 carries the IPv4 address in the 32 bits after the 2002: prefix.
  if (cidrContains(SIX_TO_FOUR, address)) {
    return { ipv4: ipv4FromLowBits(address.value >> 80n), embedding: '6to4' };
  }
  return undefined;
}

/** The special-purpose class of an address, or `public` for an ordinary internet host. */
export function classifyAddress(address: IpAddress): AddressClass | 'public' {
  const embedded = embeddedIpv4(address);
  if (embedded) return classifyAddress(embedded.ipv4);

  const table = address.family === 4 ? IPV4_RANGES : IPV6_RANGES;
  const match = table.find(({ range }) => cidrContains(range, address));
  if (match) return match.addressClass;

  if (address.family === 6 && !cidrContains(GLOBAL_UNICAST, address)) return 'reserved';
  return 'public';
}

/**
 * Refuses webhook targets that would let a subscriber reach inside our
 * network (SSRF): every address a target resolves to must be public, or
 * inside a range the operator allow-listed (WEBHOOK_ALLOWED_CIDRS).
 */
export class SsrfGuard {
  private readonly allowed: Cidr[];

  constructor(
    allowedCidrs: readonly string[] = [],
    private readonly resolver: HostResolver = systemResolver,
  ) {
    this.allowed = allowedCidrs.map((text) => {
      const parsed = parseCidr(text);
      if (!parsed) {
        throw new Error(
          `WEBHOOK_ALLOWED_CIDRS: ${JSON.stringify(text)} is not an IPv4 or IPv6 range ` +
            '(expected e.g. 10.0.0.0/8 or fd00::/8)',
        );
      }
      return parsed;
    });
  }

  /**
   * Checks a target URL and resolves it; throws `SsrfRefusedError` if any
   * address is refused, since a later connection may pick any of them.
   * Returns the vetted addresses, for a connection pinned to them.
   */
  async assertUrlAllowed(url: string | URL): Promise<ResolvedAddress[]> {
    const target = parseTarget(url);
    return this.assertHostAllowed(target.hostname);
  }

  /**
   * Resolves a hostname (or takes an address literal as it is) and checks
   * every address; throws `SsrfRefusedError` if any is refused. A connection
   * calls this as its lookup, so what it connects to is what was vetted.
   */
  async assertHostAllowed(hostname: string): Promise<ResolvedAddress[]> {
    const literal = parseIp(hostname);
    const addresses = literal
      ? [{ address: hostname, family: literal.family }]
      : await this.resolve(hostname);

    return addresses.map(({ address }) => {
      this.assertAddressAllowed(address, hostname);
      // The family comes from the address itself, so a pinned connection never mislabels it.
      return { address, family: parseIp(address)?.family === 6 ? 6 : 4 };
    });
  }

  judge(address: string): AddressVerdict {
    const parsed = parseIp(address);
    // Resolvers only answer addresses; anything else is not something to connect to.
    if (!parsed) return { allowed: false, addressClass: 'reserved' };

    const embedded = embeddedIpv4(parsed);
    const candidates = embedded ? [parsed, embedded.ipv4] : [parsed];
    const listed = this.allowed.some((range) => candidates.some((ip) => cidrContains(range, ip)));
    if (listed) return { allowed: true, reason: 'allow-listed' };

    const addressClass = classifyAddress(parsed);
    if (addressClass === 'public') return { allowed: true, reason: 'public' };
    return embedded
      ? { allowed: false, addressClass, embedding: embedded.embedding }
      : { allowed: false, addressClass };
  }

  assertAddressAllowed(address: string, host: string = address): void {
    const verdict = this.judge(address);
    if (verdict.allowed) return;

    const kind = verdict.embedding
      ? `${verdict.addressClass} (${verdict.embedding})`
      : verdict.addressClass;
    const subject =
      host === address
        ? `Webhook target ${address}`
        : `Webhook target ${host} resolves to ${address},`;
    throw new SsrfRefusedError(
      `${subject} is a ${kind} address; only public addresses are allowed ` +
        'unless WEBHOOK_ALLOWED_CIDRS lists them',
      'address',
      host,
      address,
      verdict.addressClass,
    );
  }

  private async resolve(hostname: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await this.resolver(hostname);
    } catch (error: unknown) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'lookup failed';
      throw new SsrfRefusedError(
        `Webhook target ${hostname} does not resolve (${code})`,
        'unresolvable',
        hostname,
      );
    }

    if (addresses.length === 0) {
      const message = `Webhook target ${hostname} resolves to no address`;
      throw new SsrfRefusedError(message, 'unresolvable', hostname);
    }
    return addresses;
  }
}

/**
 * Parses a webhook URL and checks what needs no DNS. URL parsing already
 * turns decimal, hex and octal IPv4 hosts into dotted form, so a literal
 * address is judged as the address the connection would reach.
 */
export function parseTarget(url: string | URL): { url: URL; hostname: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SsrfRefusedError('Webhook target is not a valid URL', 'invalid-url');
  }

  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const message = `Webhook target must use http or https, not ${parsed.protocol}`;
    throw new SsrfRefusedError(message, 'scheme');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Credentials in a URL end up in logs and proxies; a signed request needs none.
    const message = 'Webhook target must not carry credentials';
    throw new SsrfRefusedError(message, 'credentials', parsed.hostname);
  }

  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (hostname === '') throw new SsrfRefusedError('Webhook target has no host', 'invalid-url');
  return { url: parsed, hostname };
}
