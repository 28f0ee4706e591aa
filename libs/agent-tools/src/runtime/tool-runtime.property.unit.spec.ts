import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { arbitraryFromSchema } from '../testing/json-schema-arbitrary';
import { openApiFixture } from '../testing/openapi-fixture';
import { OpenApiRequestValidator } from '../testing/openapi-request-validator';
import { encodeStrictArguments } from '../testing/strict-arguments';
import { deriveIdempotencyKey } from './idempotency-key';
import { ToolRequest, ToolRuntime } from './tool-runtime';

const AGENT = 'triage-bot';
const CONVERSATION = 'conv-42';

describe('every tool call becomes a request its OpenAPI operation accepts', () => {
  const tools = convertOpenApiToTools(openApiFixture);
  const runtime = new ToolRuntime({
    tools: tools.catalog,
    baseUrl: 'https://observe.example.com',
    token: 'obs_secret',
    agentId: AGENT,
    conversationId: CONVERSATION,
  });
  const validator = new OpenApiRequestValidator(openApiFixture);
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);

  const withParsedBody = (request: ToolRequest) => ({
    ...request,
    body: request.body === undefined ? undefined : JSON.parse(request.body),
  });

  it.each(tools.catalog.map((tool, index) => [tool.name, tool, tools.openai[index]] as const))(
    '%s',
    (name, tool, openai) => {
      const strictSchema = ajv.compile(openai.function.parameters);
      const callId = fc.string({ minLength: 1, maxLength: 40 });

      fc.assert(
        fc.property(arbitraryFromSchema(tool.inputSchema), callId, (args, id) => {
          // Refused on purpose, see the unit tests: URLs resolve these segments.
          const pathValues = tool.pathParams.map(
            (param) => (args as Record<string, unknown>)[param],
          );
          fc.pre(pathValues.every((value) => !['', '.', '..'].includes(String(value))));

          // Full-schema arguments, as Claude or LangChain send them.
          const plain = runtime.toRequest({ type: 'tool_use', id, name, input: args });

          expect(validator.validate(plain)).toEqual([]);
          expect(plain.headers.Authorization).toBe('Bearer obs_secret');
          expect(plain.headers['X-Agent-Id']).toBe(AGENT);
          expect(plain.headers['X-Conversation-Id']).toBe(CONVERSATION);
          expect(plain.headers['Idempotency-Key']).toBe(
            tool.readOnly ? undefined : deriveIdempotencyKey([AGENT, CONVERSATION, name, id]),
          );
          if (plain.body !== undefined) {
            expect(JSON.parse(plain.body)).toEqual((args as { body?: unknown }).body);
          }

          // The same arguments shaped by the strict schema, as an OpenAI model sends them.
          const strictArgs = encodeStrictArguments(args, tool.inputSchema);
          const strict = runtime.toRequest({
            id,
            type: 'function',
            function: { name, arguments: JSON.stringify(strictArgs) },
          });

          expect(strictSchema(strictArgs)).toBe(true);
          expect(withParsedBody(strict)).toEqual(withParsedBody(plain));
        }),
        { numRuns: 150 },
      );
    },
  );
});
