import { join, resolve } from 'node:path';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

import { MintedToken, startTestApp, TestApp } from '../../../../test/support/test-app';

const repoRoot = resolve(__dirname, '../../../..');
const register = join(__dirname, 'testing', 'swc-register.js');
const cli = join(repoRoot, 'apps', 'cli', 'src', 'main.ts');

function text(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

/**
 * The real CLI in a child process, `observe mcp --url … --token …`, run from
 * its TypeScript sources, with the official SDK client on its stdin/stdout.
 */
describe('`observe mcp` over stdio (e2e)', () => {
  let platform: TestApp;
  let auditReader: MintedToken;
  const clients: Client[] = [];

  function spawnProxy(token: string, extra: string[] = []) {
    return new StdioClientTransport({
      command: process.execPath,
      args: ['-r', register, cli, 'mcp', '--url', platform.url, '--token', token, ...extra],
      cwd: repoRoot,
      env: getDefaultEnvironment(),
      stderr: 'pipe',
    });
  }

  async function connect(token: string, extra: string[] = [], name = 'stdio e2e') {
    const client = new Client({ name, version: '1.0.0' });
    clients.push(client);
    await client.connect(spawnProxy(token, extra));
    return client;
  }

  beforeAll(async () => {
    platform = await startTestApp({ label: 'mcp-stdio' });
    auditReader = await platform.mintToken(['audit:read'], 100, 'stdio-audit-reader');
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await platform.close();
  });

  it('lists what the token may call, as the API narrows it, and calls it', async () => {
    const client = await connect(auditReader.token);

    const { tools } = await client.listTools();
    const served = await platform
      .http()
      .get('/openapi/anthropic-tools.json')
      .set('Authorization', `Bearer ${auditReader.token}`);
    const result = (await client.callTool({
      name: 'list_audit_events',
      arguments: { limit: 1 },
    })) as CallToolResult;
    const refused = (await client.callTool({
      name: 'list_tokens',
      arguments: {},
    })) as CallToolResult;

    expect(tools.map((tool) => [tool.name, tool.description, tool.inputSchema])).toEqual(
      served.body.map((tool: { name: string; description: string; input_schema: unknown }) => [
        tool.name,
        tool.description,
        tool.input_schema,
      ]),
    );
    expect(tools.map((tool) => tool.name)).toContain('list_audit_events');
    expect(tools.map((tool) => tool.name)).not.toContain('list_tokens');
    expect(result.isError).toBeFalsy();
    // Arrays parsed by Node's fetch come from outside jest's realm: no `expect.any(Array)`.
    expect(Array.isArray(result.structuredContent?.data)).toBe(true);
    expect(refused.isError).toBe(true);
    expect(JSON.parse(text(refused))).toMatchObject({ type: '/problems/full-token-required' });
  });

  it('acts under the client’s name and the given conversation', async () => {
    const client = await connect(platform.fullToken, ['--conversation-id', 'stdio-conv-1']);

    const minted = (await client.callTool({
      name: 'mint_token',
      arguments: {
        body: { name: 'minted-over-stdio', scopes: ['audit:read'], dailyMutationLimit: 3 },
      },
    })) as CallToolResult;

    expect(minted.isError).toBeFalsy();
    const audit = await platform
      .http()
      .get('/api/v1/audit?conversationId=stdio-conv-1')
      .set('Authorization', `Bearer ${platform.fullToken}`);
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        type: 'TokenMinted',
        agentId: 'stdio-e2e',
        conversationId: 'stdio-conv-1',
      }),
    ]);
  });

  it('stops at once, saying why, when the API refuses the token', async () => {
    const transport = spawnProxy('obs_not_a_real_token');
    const stderr: string[] = [];
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const client = new Client({ name: 'stdio e2e', version: '1.0.0' });

    await expect(client.connect(transport)).rejects.toThrow();
    expect(stderr.join('')).toContain('the API refused the token (401)');
  });
});
