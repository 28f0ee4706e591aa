import fc from 'fast-check';

import { ValidationError } from '@observe/core';

import { parseIp } from './ip-address';
import {
  HostResolver,
  ResolvedAddress,
  SsrfGuard,
  SsrfRefusedError,
  classifyAddress,
} from './ssrf-guard';

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

/** A resolver that answers from a table and records what it was asked. */
const tableResolver = (table: Record<string, ResolvedAddress[]>) => {
  const asked: string[] = [];
  const resolver: HostResolver = async (hostname) => {
    asked.push(hostname);
    const answer = table[hostname];
    if (!answer)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return { resolver, asked };
};

async function refusal(guard: SsrfGuard, url: string): Promise<SsrfRefusedError> {
  const error: unknown = await guard.assertUrlAllowed(url).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof SsrfRefusedError)) throw new Error(`expected ${url} to be refused`);
  return error;
}

describe('SsrfGuard.assertUrlAllowed', () => {
  describe('literal addresses, judged without DNS', () => {
    it.each([
      ['http://127.0.0.1/hook', 'loopback'],
      ['http://10.0.0.1/hook', 'private'],
      ['http://172.16.5.4/', 'private'],
      ['http://192.168.1.1/', 'private'],
      ['http://169.254.169.254/latest/meta-data/', 'cloud-metadata'],
      ['http://169.254.10.1/', 'link-local'],
      ['http://100.64.0.1/', 'carrier-grade-nat'],
      ['http://0.0.0.0/', 'unspecified'],
      ['http://0/', 'unspecified'],
      ['http://224.0.0.1/', 'multicast'],
      ['http://255.255.255.255/', 'broadcast'],
      ['http://240.0.0.1/', 'reserved'],
      ['http://192.0.2.10/', 'documentation'],
      ['http://[::1]/', 'loopback'],
      ['http://[::]/', 'unspecified'],
      ['http://[::ffff:127.0.0.1]/', 'loopback'],
      ['http://[::ffff:a9fe:a9fe]/', 'cloud-metadata'],
      ['http://[64:ff9b::10.0.0.1]/', 'private'],
      ['http://[2002:7f00:1::]/', 'loopback'],
      ['http://[fe80::1]/', 'link-local'],
      ['http://[fc00::1]/', 'private'],
      ['http://[fd00:ec2::254]/', 'cloud-metadata'],
      ['http://[ff02::1]/', 'multicast'],
      ['http://[2001:db8::1]/', 'documentation'],
      ['http://[100::1]/', 'reserved'],
      ['http://2130706433/', 'loopback'],
      ['http://0x7f.1/', 'loopback'],
      ['http://017700000001/', 'loopback'],
      ['http://127.1:8080/', 'loopback'],
      ['http://0xa9fea9fe/', 'cloud-metadata'],
    ])('refuses %s as %s', async (url, addressClass) => {
      const { resolver, asked } = tableResolver({});

      const error = await refusal(new SsrfGuard([], resolver), url);

      expect(error.reason).toBe('address');
      expect(error.addressClass).toBe(addressClass);
      expect(error.message).toContain(addressClass);
      expect(asked).toEqual([]);
    });

    it('accepts public addresses, and NAT64 or IPv4-mapped forms of them', async () => {
      const guard = new SsrfGuard([], tableResolver({}).resolver);

      await expect(guard.assertUrlAllowed('https://8.8.8.8/hook')).resolves.toEqual([
        v4('8.8.8.8'),
      ]);
      await expect(guard.assertUrlAllowed('https://[2606:4700:4700::1111]/')).resolves.toEqual([
        v6('2606:4700:4700::1111'),
      ]);
      await expect(guard.assertUrlAllowed('http://[64:ff9b::808:808]/')).resolves.toHaveLength(1);
      await expect(guard.assertUrlAllowed('http://[::ffff:808:808]/')).resolves.toHaveLength(1);
    });
  });

  describe('hostnames, judged by every address they resolve to', () => {
    it('refuses a hostname that resolves to a private address, naming both', async () => {
      const { resolver, asked } = tableResolver({ 'hooks.example.com': [v4('10.1.2.3')] });

      const error = await refusal(new SsrfGuard([], resolver), 'https://hooks.example.com/in');

      expect(asked).toEqual(['hooks.example.com']);
      expect(error).toMatchObject({
        host: 'hooks.example.com',
        address: '10.1.2.3',
        addressClass: 'private',
      });
      expect(error.message).toMatch(/hooks\.example\.com resolves to 10\.1\.2\.3.*private/);
    });

    it('refuses when one address is public and another private', async () => {
      const { resolver } = tableResolver({
        'mixed.example.com': [v4('93.184.215.14'), v4('192.168.0.7')],
      });

      const error = await refusal(new SsrfGuard([], resolver), 'https://mixed.example.com/');

      expect(error.address).toBe('192.168.0.7');
    });

    it('refuses a hostname that resolves to an IPv4-mapped loopback', async () => {
      const { resolver } = tableResolver({ 'sneaky.example.com': [v6('::ffff:127.0.0.1')] });

      const error = await refusal(new SsrfGuard([], resolver), 'https://sneaky.example.com/');

      expect(error.addressClass).toBe('loopback');
      expect(error.message).toContain('ipv4-mapped');
    });

    it('returns every vetted address of a public hostname', async () => {
      const answers = [v4('93.184.215.14'), v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')];
      const { resolver } = tableResolver({ 'ok.example.com': answers });

      const vetted = await new SsrfGuard([], resolver).assertUrlAllowed('https://ok.example.com/');

      expect(vetted).toEqual(answers);
    });

    it('refuses a hostname that does not resolve, or resolves to nothing', async () => {
      const { resolver } = tableResolver({ 'empty.example.com': [] });
      const guard = new SsrfGuard([], resolver);

      const missing = await refusal(guard, 'https://missing.example.com/');
      const empty = await refusal(guard, 'https://empty.example.com/');

      expect(missing.reason).toBe('unresolvable');
      expect(missing.message).toContain('ENOTFOUND');
      expect(empty.reason).toBe('unresolvable');
    });
  });

  describe('the URL itself', () => {
    it.each([
      ['ftp://files.example.com/', 'scheme'],
      ['file:///etc/passwd', 'scheme'],
      ['gopher://example.com/', 'scheme'],
      ['https://user:secret@example.com/', 'credentials'],
      ['https://user@example.com/', 'credentials'],
      ['not a url', 'invalid-url'],
    ])('refuses %s (%s)', async (url, reason) => {
      const { resolver, asked } = tableResolver({ 'example.com': [v4('93.184.215.14')] });

      const error = await refusal(new SsrfGuard([], resolver), url);

      expect(error.reason).toBe(reason);
      expect(asked).toEqual([]);
    });

    it('never repeats the credentials it refuses', async () => {
      const error = await refusal(new SsrfGuard([]), 'https://user:hunter2@example.com/');

      expect(JSON.stringify({ ...error, message: error.message })).not.toContain('hunter2');
    });
  });

  it('is a validation error on the url field, so the API answers 400', async () => {
    const error = await refusal(new SsrfGuard([]), 'http://127.0.0.1/');

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('validation');
    expect(error.fieldErrors).toEqual([{ field: 'url', message: error.message }]);
    expect(error.details).toMatchObject({ addressClass: 'loopback', address: '127.0.0.1' });
  });

  describe('WEBHOOK_ALLOWED_CIDRS', () => {
    it('lets an operator allow a range, in any notation that reaches it', async () => {
      const { resolver } = tableResolver({ 'dev.internal': [v4('127.0.0.5')] });
      const guard = new SsrfGuard(['127.0.0.0/8'], resolver);

      await expect(guard.assertUrlAllowed('http://127.0.0.1:4000/')).resolves.toHaveLength(1);
      await expect(guard.assertUrlAllowed('http://2130706433/')).resolves.toHaveLength(1);
      await expect(guard.assertUrlAllowed('http://[::ffff:127.0.0.1]/')).resolves.toHaveLength(1);
      await expect(guard.assertUrlAllowed('http://dev.internal/')).resolves.toEqual([
        v4('127.0.0.5'),
      ]);
    });

    it('allows only the listed ranges', async () => {
      const guard = new SsrfGuard(['127.0.0.0/8', 'fd12:3456::/32'], tableResolver({}).resolver);

      await expect(guard.assertUrlAllowed('http://[fd12:3456::9]/')).resolves.toHaveLength(1);
      expect((await refusal(guard, 'http://10.0.0.1/')).addressClass).toBe('private');
      expect((await refusal(guard, 'http://[::1]/')).addressClass).toBe('loopback');
      expect((await refusal(guard, 'http://[fd12:3457::9]/')).addressClass).toBe('private');
    });

    it('fails at construction on a value that is not a range, naming the variable', () => {
      expect(() => new SsrfGuard(['10.0.0.0/8', 'ten-dot'])).toThrow(
        /WEBHOOK_ALLOWED_CIDRS.*ten-dot/,
      );
      expect(() => new SsrfGuard(['10.0.0.0/33'])).toThrow(/WEBHOOK_ALLOWED_CIDRS/);
    });
  });
});

describe('classifyAddress', () => {
  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.join('.'));
  const classOf = (text: string) => {
    const parsed = parseIp(text);
    if (!parsed) throw new Error(`not an address: ${text}`);
    return classifyAddress(parsed);
  };

  it('judges an IPv4-mapped IPv6 address as its IPv4 address', () => {
    fc.assert(fc.property(ipv4, (address) => classOf(`::ffff:${address}`) === classOf(address)));
  });

  it('judges a NAT64 address as the IPv4 address it reaches', () => {
    fc.assert(fc.property(ipv4, (address) => classOf(`64:ff9b::${address}`) === classOf(address)));
  });

  it('finds every address of the private ranges private', () => {
    const inTen = fc
      .tuple(fc.nat(255), fc.nat(255), fc.nat(255))
      .map((rest) => `10.${rest.join('.')}`);
    const in172 = fc
      .tuple(fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255))
      .map((rest) => `172.${rest.join('.')}`);

    fc.assert(fc.property(fc.oneof(inTen, in172), (address) => classOf(address) === 'private'));
  });

  it('finds ordinary internet hosts public', () => {
    expect(['1.1.1.1', '93.184.215.14', '172.32.0.1', '2a00:1450:4001::200e'].map(classOf)).toEqual(
      ['public', 'public', 'public', 'public'],
    );
  });
});
