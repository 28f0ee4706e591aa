import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

import { buildToolCatalog } from '../converter/tool-catalog';
import { ToolRuntime } from '../runtime/tool-runtime';
import { openApiFixture } from '../testing/openapi-fixture';
import { createMcpToolServer } from './mcp-tool-server';

type Answer = { status: number; body: unknown } | Error;

function jsonResponse(status: number, body: unknown): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

async function connect(answers: Answer[], listed = ['list_audit_events', 'acknowledge_incident']) {
  const catalog = buildToolCatalog(openApiFixture);
  const requests: Array<{ url: string; headers: Record<string, string> }> = [];
  const fetch = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), headers: init?.headers as Record<string, string> });
    const answer = answers.shift() ?? { status: 500, body: {} };
    if (answer instanceof Error) throw answer;
    return jsonResponse(answer.status, answer.body);
  });
  const clients: Array<string | undefined> = [];
  const server = createMcpToolServer({
    listed: catalog.filter((tool) => listed.includes(tool.name)),
    runtime: (client) => {
      clients.push(client?.name);
      return new ToolRuntime({
        tools: catalog,
        baseUrl: 'https://observe.example.com',
        token: 'obs_test',
        agentId: 'unit-agent',
        conversationId: 'conv-1',
      });
    },
    fetch,
  });

  const client = new Client({ name: 'unit test client', version: '1.0.0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return { client, requests, clients };
}

function text(result: CallToolResult): string {
  const [first] = result.content;
  return first?.type === 'text' ? first.text : '';
}

describe('the MCP tool server', () => {
  it('lists only the tools given, with hints', async () => {
    const { client } = await connect([]);

    const { tools } = await client.listTools();

    expect(tools.map((tool) => tool.name)).toEqual(['acknowledge_incident', 'list_audit_events']);
    const read = tools.find((tool) => tool.name === 'list_audit_events');
    expect(read?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(read?.outputSchema?.type).toBe('object');
  });

  it('calls the API with the guardrail headers and answers with structured content', async () => {
    const page = { data: [], nextCursor: null };
    const { client, requests, clients } = await connect([{ status: 200, body: page }]);
    await client.listTools();

    const result = (await client.callTool({
      name: 'list_audit_events',
      arguments: { limit: 5 },
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual(page);
    expect(JSON.parse(text(result))).toEqual(page);
    expect(requests[0].url).toBe('https://observe.example.com/api/v1/audit/events?limit=5');
    expect(requests[0].headers).toMatchObject({
      Authorization: 'Bearer obs_test',
      'X-Agent-Id': 'unit-agent',
      'X-Conversation-Id': 'conv-1',
    });
    expect(clients).toEqual(['unit test client']);
  });

  it('gives an API refusal back as an error result carrying the problem', async () => {
    const problem = { type: '/problems/missing-scope', title: 'No', status: 403, detail: 'x' };
    const { client, requests } = await connect([{ status: 403, body: problem }]);

    const result = (await client.callTool({
      name: 'acknowledge_incident',
      arguments: { id: '0b5c3f52-9d5e-4f0e-8a43-2b8f3a8f6d11' },
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(JSON.parse(text(result))).toEqual(problem);
    expect(requests[0].headers['Idempotency-Key']).toEqual(expect.any(String));
  });

  it('still sends a tool that is not listed, for the API to judge', async () => {
    const problem = { type: '/problems/full-token-required', status: 403 };
    const { client, requests } = await connect([{ status: 403, body: problem }]);

    const result = (await client.callTool({
      name: 'delete_subscription',
      arguments: { subscriptionId: '7e0c1d2a-3b4c-4d5e-8f60-718293a4b5c6' },
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('tells the model what was wrong with its arguments, without calling the API', async () => {
    const { client, requests } = await connect([]);

    const result = (await client.callTool({
      name: 'list_audit_events',
      arguments: { limit: 'many' },
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(JSON.parse(text(result))).toMatchObject({ type: '/problems/tool-invalid-arguments' });
    expect(requests).toHaveLength(0);
  });

  it('reports an unreachable API as an error result', async () => {
    const down = new TypeError('fetch failed');
    const { client } = await connect([down, down, down]);

    const result = (await client.callTool({
      name: 'list_audit_events',
      arguments: {},
    })) as CallToolResult;

    expect(result.isError).toBe(true);
    expect(JSON.parse(text(result))).toMatchObject({ type: '/problems/tool-network' });
  }, 20_000);

  it('answers an unknown tool with a protocol error', async () => {
    const { client } = await connect([]);

    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(
      'Unknown tool: no_such_tool',
    );
  });
});
