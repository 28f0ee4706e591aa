import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

import { startTestApp, TestApp } from '../../../../test/support/test-app';
import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { lintOpenAiTool } from '../converter/strict-schema-linter';
import { OpenApiDocument } from '../converter/openapi-document';
import { ToolRuntime } from '../runtime/tool-runtime';
import { arbitraryFromSchema } from '../testing/json-schema-arbitrary';
import { OpenApiRequestValidator } from '../testing/openapi-request-validator';
import { withConverterConventions } from './document-conventions';

/**
 * The same checks as on the fixture, on the platform's own live document:
 * every tool of every route that exists today, and of those that land later.
 */
describe('tools of the live API (e2e)', () => {
  let platform: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    platform = await startTestApp({ label: 'live_tools' });
    document = withConverterConventions((await platform.http().get('/openapi.json')).body);
  });

  afterAll(async () => {
    await platform.close();
  });

  it('passes the strict-mode linter and compiles with Ajv, for every OpenAI tool', () => {
    const tools = convertOpenApiToTools(document);
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);

    const problems = tools.openai.flatMap((tool) => {
      const issues = lintOpenAiTool(tool).map((issue) => `${tool.function.name}: ${issue.message}`);
      try {
        ajv.compile(tool.function.parameters);
        return issues;
      } catch (error) {
        return [...issues, `${tool.function.name}: ${(error as Error).message}`];
      }
    });

    expect(tools.openai.length).toBeGreaterThan(60);
    expect(problems).toEqual([]);
  });

  it('turns random valid arguments for every tool into a request its operation accepts', () => {
    const tools = convertOpenApiToTools(document);
    const runtime = new ToolRuntime({
      tools: tools.catalog,
      baseUrl: platform.url,
      token: 'obs_example',
      agentId: 'property-agent',
      conversationId: 'property-run',
    });
    const validator = new OpenApiRequestValidator(document);
    const failures: string[] = [];

    for (const tool of tools.catalog) {
      try {
        fc.assert(
          fc.property(arbitraryFromSchema(tool.inputSchema), (args) => {
            const pathValues = tool.pathParams.map(
              (param) => (args as Record<string, unknown>)[param],
            );
            fc.pre(pathValues.every((value) => !['', '.', '..'].includes(String(value))));

            const request = runtime.toRequest({
              type: 'tool_use',
              id: 'call-1',
              name: tool.name,
              input: args,
            });

            expect(validator.validate(request)).toEqual([]);
            expect(request.headers.Authorization).toBe('Bearer obs_example');
            expect(request.headers['X-Agent-Id']).toBe('property-agent');
          }),
          { numRuns: 30 },
        );
      } catch (error) {
        failures.push(`${tool.name}: ${(error as Error).message.slice(0, 1500)}`);
      }
    }

    expect(failures).toEqual([]);
  });
});
