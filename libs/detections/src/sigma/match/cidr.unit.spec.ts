import { cidrContains, parseCidr, parseIp } from './cidr';

function contains(block: string, address: string): boolean {
  const cidr = parseCidr(block);
  const ip = parseIp(address);
  if (cidr === undefined || ip === undefined) throw new Error(`unparsable ${block} ${address}`);
  return cidrContains(cidr, ip);
}

describe('cidr', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['192.168.1.0/24', '192.168.1.77', true],
    ['192.168.1.5/32', '192.168.1.5', true],
    ['192.168.1.5', '192.168.1.6', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.1.2.3/8', '10.9.9.9', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db7::1', false],
    ['::1/128', '::1', true],
    ['fe80::/10', 'fe80::1%eth0', true],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
    ['10.0.0.0/8', '::ffff:10.0.0.1', true],
    ['::/0', '10.0.0.1', false],
    ['1:2:3:4:5:6:7:8/128', '1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7::/112', '1:2:3:4:5:6:7:ffff', true],
  ])('%s contains %s: %s', (block, address, expected) => {
    expect(contains(block, address)).toBe(expected);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0/8',
    '256.0.0.0/8',
    '010.0.0.0/8',
    '10.0.0.0/08',
    '10.0.0.0/8/1',
    '2001:db8::/129',
    '2001:db8:::/32',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    'localhost',
    '',
  ])('refuses %s', (block) => {
    expect(parseCidr(block)).toBeUndefined();
  });
});
