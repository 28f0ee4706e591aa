import type { Tool as AnthropicSdkTool, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import type { ToolCall as LangChainSdkToolCall } from '@langchain/core/messages/tool';
import { DynamicStructuredTool, tool } from '@langchain/core/tools';
import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { FunctionDefinition } from 'openai/resources/shared';
import type { FunctionTool, ResponseFunctionToolCall } from 'openai/resources/responses/responses';

import { ToolCall } from '../runtime/tool-call';
import { openApiFixture } from '../testing/openapi-fixture';
import { convertOpenApiToTools } from './convert-openapi-to-tools';
import { OpenApiDocument } from './openapi-document';
import { toOpenAiResponsesTool } from './openai-tool';

/**
 * The typed assignments are the test: `tsc` fails this file if our shapes
 * drift from the SDKs'. The assertions check that nothing was lost on the way.
 */
describe('compatibility with the official SDK types', () => {
  const tools = convertOpenApiToTools(openApiFixture);

  it('matches OpenAI Chat Completions and Responses tool types', () => {
    const chat: ChatCompletionTool[] = tools.openai;
    const functions: FunctionDefinition[] = tools.openai.map((entry) => entry.function);
    const responses: FunctionTool[] = tools.openai.map(toOpenAiResponsesTool);

    expect(chat).toHaveLength(tools.catalog.length);
    expect(functions.every((definition) => definition.strict === true)).toBe(true);
    expect(responses[0]).toEqual({ type: 'function', ...tools.openai[0].function });
  });

  it('matches the Anthropic Tool type', () => {
    const anthropic: AnthropicSdkTool[] = tools.anthropic;

    expect(anthropic.every((entry) => entry.input_schema.type === 'object')).toBe(true);
  });

  it('is accepted by LangChain tool() for every entry', async () => {
    const built = tools.langchain.map((entry) =>
      tool(async (input) => JSON.stringify(input), {
        name: entry.name,
        description: entry.description,
        schema: entry.schema,
        metadata: entry.metadata,
      }),
    );
    const acknowledge = built.find((entry) => entry.name === 'acknowledge_incident');
    const id = '7f3c1e2a-1b2c-4d5e-8f90-0123456789ab';

    expect(built.every((entry) => entry instanceof DynamicStructuredTool)).toBe(true);
    expect(built.map((entry) => entry.name)).toEqual(tools.catalog.map((entry) => entry.name));
    await expect(acknowledge?.invoke({ id, body: { note: 'on it' } })).resolves.toBe(
      JSON.stringify({ id, body: { note: 'on it' } }),
    );
    await expect(acknowledge?.invoke({ id: 42 })).rejects.toThrow();
  });

  it('accepts the SDKs tool call types and the Nest OpenAPI document type', () => {
    const chatCall: ChatCompletionMessageFunctionToolCall = {
      id: 'call_1',
      type: 'function',
      function: { name: 'get_incident', arguments: '{}' },
    };
    const responsesCall: ResponseFunctionToolCall = {
      type: 'function_call',
      call_id: 'call_2',
      name: 'get_incident',
      arguments: '{}',
    };
    const anthropicCall: ToolUseBlock = {
      type: 'tool_use',
      id: 'toolu_1',
      name: 'get_incident',
      input: {},
      caller: { type: 'direct' },
    };
    const langchainCall: LangChainSdkToolCall = { name: 'get_incident', args: {}, id: 'lc_1' };
    const nestDocument: OpenAPIObject = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
    };

    const calls: ToolCall[] = [chatCall, responsesCall, anthropicCall, langchainCall];
    const document: OpenApiDocument = nestDocument;

    expect(calls).toHaveLength(4);
    expect(convertOpenApiToTools(document).catalog).toEqual([]);
  });
});
