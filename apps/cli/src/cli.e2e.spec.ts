import { createTestDatabase } from '../../../test/support/test-database';
import { buildProgram } from './program';

/** Runs one `observe …` command in-process and returns what it wrote to stdout. */
async function observe(...args: string[]): Promise<string> {
  const written: string[] = [];
  const spy = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await buildProgram()
      .exitOverride()
      .parseAsync(['node', 'observe', ...args]);
  } finally {
    spy.mockRestore();
    quiet.mockRestore();
  }
  return written.join('');
}

describe('observe CLI (e2e)', () => {
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.DATABASE_URL = await createTestDatabase('cli');
    process.env.LOG_LEVEL = 'silent';
  });

  afterAll(() => {
    process.env = saved;
  });

  it('creates a full token printed alone, lists it without the secret, and revokes it', async () => {
    const created = await observe('tokens', 'create', '--full', '--name', 'ops');
    const token = created.trim();

    const listed = await observe('tokens', 'list');
    const [entry] = listed
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const revoked = JSON.parse(await observe('tokens', 'revoke', entry.id, '--reason', 'rotated'));

    expect(token).toMatch(/^obs_[0-9A-Za-z]{49}$/);
    expect(created).toBe(`${token}\n`);
    expect(entry).toMatchObject({ name: 'ops', kind: 'full', prefix: token.slice(0, 12) });
    expect(listed).not.toContain(token);
    expect(revoked.revokedAt).not.toBeNull();
  });

  it('refuses unknown scopes before touching anything', async () => {
    await expect(
      observe('tokens', 'create', '--name', 'bad', '--scopes', 'root:all', '--limit', '5'),
    ).rejects.toThrow('unknown scopes: root:all');
  });

  it('replays the audit trail as NDJSON with filters, secrets redacted', async () => {
    await observe(
      'tokens',
      'create',
      '--name',
      'agent-1',
      '--scopes',
      'incidents:read',
      '--limit',
      '5',
    );

    const all = (await observe('audit', 'replay'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const minted = (await observe('audit', 'replay', '--type', 'TokenMinted'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

    expect(all.map((entry) => entry.type)).toEqual(['TokenMinted', 'TokenRevoked', 'TokenMinted']);
    expect(minted).toHaveLength(2);
    expect(minted[1]).toMatchObject({ data: { name: 'agent-1', secretHash: '[redacted]' } });
    expect(minted[1].actor).toEqual({ kind: 'system', name: 'operator-cli' });
  });
});
