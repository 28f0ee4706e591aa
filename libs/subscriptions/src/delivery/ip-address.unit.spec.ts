import { cidrContains, parseCidr, parseIp } from './ip-address';

const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an address: ${text}`);
  return parsed;
};

const range = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`not a range: ${text}`);
  return parsed;
};

describe('parseIp', () => {
  it('reads IPv4 and IPv6 in their usual spellings', () => {
    expect(ip('192.168.1.2')).toEqual({ family: 4, value: 0xc0a80102n });
    expect(ip('::1')).toEqual({ family: 6, value: 1n });
    expect(ip('[::1]')).toEqual({ family: 6, value: 1n });
    expect(ip('fe80::1%eth0')).toEqual(ip('fe80::1'));
    expect(ip('::ffff:127.0.0.1')).toEqual(ip('::ffff:7f00:1'));
    expect(ip('2001:db8:0:0:0:0:0:1')).toEqual(ip('2001:db8::1'));
  });

  it('rejects what is not a canonical address, leading zeros included', () => {
    for (const text of ['', 'localhost', '1.2.3', '256.1.1.1', '01.2.3.4', '1::2::3', '12345::']) {
      expect(parseIp(text)).toBeUndefined();
    }
  });
});

describe('parseCidr and cidrContains', () => {
  it('matches addresses inside the range and none outside', () => {
    const ten = range('10.0.0.0/8');

    expect(cidrContains(ten, ip('10.255.255.255'))).toBe(true);
    expect(cidrContains(ten, ip('11.0.0.0'))).toBe(false);
    expect(cidrContains(range('fc00::/7'), ip('fdff::1'))).toBe(true);
    expect(cidrContains(range('fc00::/7'), ip('fe00::1'))).toBe(false);
  });

  it('never matches across families', () => {
    expect(cidrContains(range('0.0.0.0/0'), ip('::1'))).toBe(false);
    expect(cidrContains(range('::/0'), ip('127.0.0.1'))).toBe(false);
  });

  it('reads a bare address as a single host and clears host bits', () => {
    expect(range('10.1.2.3')).toEqual({ family: 4, network: 0x0a010203n, prefix: 32 });
    expect(range('10.1.2.3/8')).toEqual(range('10.0.0.0/8'));
  });

  it('rejects malformed ranges', () => {
    for (const text of [
      '10.0.0.0/33',
      '::/129',
      '10.0.0.0/',
      '10.0.0.0/8/8',
      'ten/8',
      '10.0.0.0/-1',
    ]) {
      expect(parseCidr(text)).toBeUndefined();
    }
  });
});
