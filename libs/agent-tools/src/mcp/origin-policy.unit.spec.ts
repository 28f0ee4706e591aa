import { OriginPolicy } from './origin-policy';

describe('OriginPolicy', () => {
  const policy = new OriginPolicy(['https://Agents.Example.com', 'http://10.0.0.5:8080/']);

  it('lets requests without an Origin through: they are not from a browser', () => {
    expect(policy.allows(undefined)).toBe(true);
  });

  it.each(['http://localhost:6274', 'https://127.0.0.1', 'http://[::1]:3000'])(
    'lets the local origin %s through',
    (origin) => {
      expect(policy.allows(origin)).toBe(true);
    },
  );

  it('lets allow-listed origins through, compared as origins', () => {
    expect(policy.allows('https://agents.example.com')).toBe(true);
    expect(policy.allows('http://10.0.0.5:8080')).toBe(true);
  });

  it.each([
    'https://evil.example',
    'https://agents.example.com:8443',
    'http://agents.example.com',
    'http://localhost.evil.example',
    'null',
    'file://',
  ])('refuses %s', (origin) => {
    expect(policy.allows(origin)).toBe(false);
  });

  it('refuses a malformed allow-list at start-up', () => {
    expect(() => new OriginPolicy(['agents.example.com'])).toThrow('agents.example.com');
  });
});
