import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';

import { MintedToken, startTestApp, TestApp } from '../../../../test/support/test-app';
import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { toStrictSchema } from '../converter/strict-schema';
import {
  AnthropicTool,
  LangChainTool,
  OpenAiTool,
  ToolDefinition,
} from '../converter/tool-definition';
import { withConverterConventions } from '../http/document-conventions';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw-http', version: '1' },
  },
};

function text(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

describe('MCP over Streamable HTTP at /mcp (e2e)', () => {
  let platform: TestApp;
  let auditReader: MintedToken;
  let catalog: ToolDefinition[];
  const clients: Client[] = [];

  async function connect(
    token: string | undefined,
    headers: Record<string, string> = {},
    name = 'e2e-agent',
  ): Promise<Client> {
    const authorization: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const transport = new StreamableHTTPClientTransport(new URL(`${platform.url}/mcp`), {
      requestInit: { headers: { ...authorization, ...headers } },
    });
    const client = new Client({ name, version: '1.0.0' });
    clients.push(client);
    await client.connect(transport);
    return client;
  }

  function post(body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${platform.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: JSON.stringify(body),
    });
  }

  async function served<T>(file: string, token: string): Promise<T[]> {
    const response = await platform
      .http()
      .get(`/openapi/${file}`)
      .set('Authorization', `Bearer ${token}`);
    return response.body;
  }

  beforeAll(async () => {
    platform = await startTestApp({ label: 'mcp-http' });
    auditReader = await platform.mintToken(['audit:read'], 100, 'audit-reader');
    const document = (await platform.http().get('/openapi.json')).body;
    catalog = convertOpenApiToTools(withConverterConventions(document)).catalog;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await platform.close();
  });

  it('lists every tool to a full token', async () => {
    const client = await connect(platform.fullToken);

    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name)).toEqual(catalog.map((tool) => tool.name));
  });

  it('lists what a scoped token may call: its scopes, no full-token-only or DELETE', async () => {
    const client = await connect(auditReader.token);

    const { tools } = await client.listTools();

    const listed = catalog.filter((tool) => tools.some((entry) => entry.name === tool.name));
    expect(listed.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['list_audit_events', 'list_conversation_actions']),
    );
    expect(tools.map((tool) => tool.name)).not.toContain('mint_token');
    for (const tool of listed) {
      expect([null, 'audit:read']).toContain(tool.scope);
      expect(tool.fullTokenOnly || tool.method === 'DELETE').toBe(false);
    }
    const expected = catalog.filter(
      (tool) => !tool.fullTokenOnly && (tool.scope === null || tool.scope === 'audit:read'),
    );
    expect(tools.map((tool) => tool.name)).toEqual(expected.map((tool) => tool.name));
  });

  it.each([
    ['a full token', () => platform.fullToken],
    ['a scoped token', () => auditReader.token],
  ])('agrees with the three served files for %s', async (_who, token) => {
    const client = await connect(token());

    const { tools } = await client.listTools();
    const openai = await served<OpenAiTool>('openai-tools.json', token());
    const anthropic = await served<AnthropicTool>('anthropic-tools.json', token());
    const langchain = await served<LangChainTool>('langchain-tools.json', token());

    const mcp = (tool: Tool) => [tool.name, tool.description, tool.inputSchema];
    expect(tools.map(mcp)).toEqual(anthropic.map((t) => [t.name, t.description, t.input_schema]));
    expect(tools.map(mcp)).toEqual(langchain.map((t) => [t.name, t.description, t.schema]));
    expect(tools.map((tool) => [tool.name, tool.description])).toEqual(
      openai.map((t) => [t.function.name, t.function.description]),
    );
    expect(openai.map((t) => t.function.parameters)).toEqual(
      anthropic.map((t) => toStrictSchema(t.input_schema)),
    );
  });

  it('annotates tools from their method and scope', async () => {
    const client = await connect(platform.fullToken);

    const { tools } = await client.listTools();

    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('list_audit_events')?.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(byName.get('mint_token')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
    });
  });

  it('calls a tool through the API as the caller, answering structured content', async () => {
    const client = await connect(auditReader.token);

    const result = (await client.callTool({
      name: 'list_audit_events',
      arguments: { limit: 2 },
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    // Arrays parsed by Node's fetch come from outside jest's realm: no `expect.any(Array)`.
    expect(Array.isArray(result.structuredContent?.data)).toBe(true);
    expect(JSON.parse(text(result))).toEqual(result.structuredContent);
  });

  it('gives a refusal of the API back as an error result with its problem', async () => {
    const client = await connect(auditReader.token);

    const result = (await client.callTool({
      name: 'mint_token',
      arguments: { body: { name: 'escalate', scopes: ['audit:read'], dailyMutationLimit: 1 } },
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(JSON.parse(text(result))).toMatchObject({
      type: '/problems/full-token-required',
      status: 403,
    });
  });

  it('gives a 404 back as an error result', async () => {
    const client = await connect(platform.fullToken);

    const result = (await client.callTool({
      name: 'revoke_token',
      arguments: { id: '0b5c3f52-9d5e-4f0e-8a43-2b8f3a8f6d11', body: { reason: 'test' } },
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(JSON.parse(text(result))).toMatchObject({ type: '/problems/not-found', status: 404 });
  });

  it('records the agent and conversation on the events a call produces', async () => {
    const named = await connect(platform.fullToken, {}, 'Triage Bot');
    const headed = await connect(platform.fullToken, {
      'X-Agent-Id': 'header-agent',
      'X-Conversation-Id': 'conv-42',
    });
    const mint = (client: Client, name: string) =>
      client.callTool({
        name: 'mint_token',
        arguments: { body: { name, scopes: ['audit:read'], dailyMutationLimit: 5 } },
      }) as Promise<CallToolResult>;

    const first = await mint(named, 'minted-by-session');
    const second = await mint(headed, 'minted-by-headers');

    expect(first.structuredContent).toMatchObject({ events: [{ type: 'TokenMinted' }] });
    const audit = await platform
      .http()
      .get('/api/v1/audit?type=TokenMinted')
      .set('Authorization', `Bearer ${platform.fullToken}`);
    const byName = (name: string) =>
      audit.body.data.find((event: { data: { name: string } }) => event.data.name === name);
    expect(byName('minted-by-session')).toMatchObject({
      agentId: 'Triage-Bot',
      conversationId: expect.stringMatching(/^mcp-[0-9a-f]{32}$/),
    });
    expect(byName('minted-by-headers')).toMatchObject({
      agentId: 'header-agent',
      conversationId: 'conv-42',
    });
    expect(second.isError).toBeFalsy();
  });

  it('answers 401 with a Bearer challenge without a valid token', async () => {
    const missing = await post(INITIALIZE);
    const unknown = await post(INITIALIZE, { authorization: 'Bearer obs_nope' });

    expect(missing.status).toBe(401);
    expect(unknown.status).toBe(401);
    const challenge = missing.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer /);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata).toMatchObject({
      resource: `${platform.url}/mcp`,
      bearer_methods_supported: ['header'],
    });
    await expect(connect(undefined)).rejects.toThrow();
  });

  it('refuses a foreign Origin with 403 and lets local origins through', async () => {
    const foreign = await post(INITIALIZE, {
      authorization: `Bearer ${platform.fullToken}`,
      origin: 'https://evil.example',
    });
    const local = await post(INITIALIZE, {
      authorization: `Bearer ${platform.fullToken}`,
      origin: 'http://localhost:6274',
    });

    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ type: '/problems/origin-not-allowed' });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    await expect(connect(platform.fullToken, { Origin: 'https://evil.example' })).rejects.toThrow();
  });

  it('issues a session id on initialize and answers GET and DELETE with 405', async () => {
    const authorization = `Bearer ${platform.fullToken}`;

    const initialized = await post(INITIALIZE, { authorization });
    const get = await fetch(`${platform.url}/mcp`, {
      headers: { authorization, accept: 'text/event-stream' },
    });
    const del = await fetch(`${platform.url}/mcp`, {
      method: 'DELETE',
      headers: { authorization },
    });

    expect(initialized.headers.get('mcp-session-id')).toMatch(/^[0-9a-f]{32}\.raw-http$/);
    expect(initialized.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(await initialized.json()).toMatchObject({
      result: { serverInfo: { name: '24observe' } },
    });
    expect(get.status).toBe(405);
    expect(del.status).toBe(405);
  });
});

describe('MCP origin allow-list (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp({
      label: 'mcp-origins',
      environment: { MCP_ALLOWED_ORIGINS: 'https://agents.example.com' },
    });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('lets an allow-listed origin through and still refuses others', async () => {
    const call = (origin: string) =>
      fetch(`${platform.url}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${platform.fullToken}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          origin,
        },
        body: JSON.stringify(INITIALIZE),
      });

    expect((await call('https://agents.example.com')).status).toBe(200);
    expect((await call('https://other.example.com')).status).toBe(403);
  });
});
