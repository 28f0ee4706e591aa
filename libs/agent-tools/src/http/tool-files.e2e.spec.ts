import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command } from 'commander';

import { startTestApp, TestApp } from '../../../../test/support/test-app';
import { toolsCommand } from '../../../../apps/cli/src/commands/tools.command';
import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { ToolDefinition } from '../converter/tool-definition';
import { withConverterConventions } from './document-conventions';
import { TOOL_FILES, TOOL_FORMATS } from './tool-files';

type Named = { name?: string; function?: { name: string } };

function names(tools: Named[]): string[] {
  return tools.map((tool) => tool.function?.name ?? tool.name ?? '');
}

describe('tool files under /openapi/ (e2e)', () => {
  let platform: TestApp;
  let catalog: ToolDefinition[];

  beforeAll(async () => {
    platform = await startTestApp({ label: 'tool-files' });
    const document = (await platform.http().get('/openapi.json')).body;
    catalog = convertOpenApiToTools(withConverterConventions(document)).catalog;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('serves every operation in three formats, public, by name, stable bytes', async () => {
    const document = (await platform.http().get('/openapi.json')).body;
    const expected = convertOpenApiToTools(withConverterConventions(document));

    for (const format of TOOL_FORMATS) {
      const first = await platform.http().get(`/openapi/${TOOL_FILES[format]}`);
      const second = await platform.http().get(`/openapi/${TOOL_FILES[format]}`);

      expect(first.status).toBe(200);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect(first.body).toEqual(expected[format]);
      expect(second.text).toBe(first.text);
    }
    expect(catalog.map((tool) => tool.name)).toEqual([...catalog.map((tool) => tool.name)].sort());
    expect(catalog.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['list_audit_events', 'mint_token', 'list_scopes']),
    );
  });

  it('keeps its own routes and /mcp out of the OpenAPI document', async () => {
    const document = (await platform.http().get('/openapi.json')).body;

    const paths = Object.keys(document.paths);

    expect(paths.filter((path) => /openapi|mcp|well-known/.test(path))).toEqual([]);
  });

  it('narrows to ?scopes= as a scoped token holding them', async () => {
    const response = await platform.http().get('/openapi/anthropic-tools.json?scopes=audit:read');

    const offered = catalog.filter((tool) => names(response.body).includes(tool.name));

    expect(offered.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['list_audit_events', 'list_conversation_actions']),
    );
    for (const tool of offered) {
      expect([null, 'audit:read']).toContain(tool.scope);
      expect(tool.fullTokenOnly).toBe(false);
      expect(tool.method).not.toBe('DELETE');
    }
  });

  it('narrows to the bearer token sent, and a full token sees everything', async () => {
    const agent = await platform.mintToken(['audit:read']);

    const byToken = await platform
      .http()
      .get('/openapi/openai-tools.json')
      .set('Authorization', `Bearer ${agent.token}`);
    const byScopes = await platform.http().get('/openapi/openai-tools.json?scopes=audit:read');
    const full = await platform
      .http()
      .get('/openapi/langchain-tools.json')
      .set('Authorization', `Bearer ${platform.fullToken}`);

    expect(byToken.status).toBe(200);
    expect(byToken.body).toEqual(byScopes.body);
    expect(byToken.headers.vary).toMatch(/Authorization/);
    expect(names(full.body)).toEqual(catalog.map((tool) => tool.name));
  });

  it('refuses unknown scopes with a problem naming them', async () => {
    const response = await platform
      .http()
      .get('/openapi/openai-tools.json?scopes=audit:read,root:all');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({
      type: '/problems/validation-error',
      status: 400,
      detail: 'unknown scopes: root:all',
      errors: [{ field: 'scopes', message: 'root:all is not a scope' }],
    });
  });

  it('answers a token it does not know with 401, not a silently wider list', async () => {
    const response = await platform
      .http()
      .get('/openapi/anthropic-tools.json')
      .set('Authorization', 'Bearer obs_not_a_real_token');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('writes the same files with `observe tools write`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'observe-tools-'));
    const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await new Command('observe')
        .exitOverride()
        .addCommand(toolsCommand())
        .parseAsync(['node', 'observe', 'tools', 'write', dir, '--scopes', 'audit:read']);
    } finally {
      quiet.mockRestore();
    }

    for (const format of TOOL_FORMATS) {
      const written = await readFile(join(dir, TOOL_FILES[format]), 'utf8');
      const served = await platform.http().get(`/openapi/${TOOL_FILES[format]}?scopes=audit:read`);
      expect(JSON.parse(written)).toEqual(served.body);
      expect(written).toBe(`${JSON.stringify(served.body, null, 2)}\n`);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses unknown scopes in `observe tools write` before building anything', async () => {
    const write = new Command('observe').exitOverride().addCommand(toolsCommand());

    await expect(
      write.parseAsync(['node', 'observe', 'tools', 'write', tmpdir(), '--scopes', 'root:all']),
    ).rejects.toThrow('unknown scopes: root:all');
  });
});
