import { toStrictSchema } from './strict-schema';
import { OpenAiTool, ToolDefinition } from './tool-definition';

/** OpenAI accepts at most this many tools in one request. */
export const OPENAI_MAX_TOOLS = 128;

export function toOpenAiTool(tool: ToolDefinition): OpenAiTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: toStrictSchema(tool.inputSchema),
      strict: true,
    },
  };
}

/** The flat shape the Responses API takes (`FunctionTool`). */
export interface OpenAiResponsesTool {
  type: 'function';
  name: string;
  description: string;
  parameters: OpenAiTool['function']['parameters'];
  strict: true;
}

export function toOpenAiResponsesTool(tool: OpenAiTool): OpenAiResponsesTool {
  const { name, description, parameters, strict } = tool.function;
  return { type: 'function', name, description, parameters, strict };
}

/**
 * Splits tools into groups OpenAI accepts in one request, keeping the order
 * (by name), e.g. to route a first call that picks a group.
 */
export function chunkOpenAiTools<T>(tools: readonly T[], size = OPENAI_MAX_TOOLS): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > OPENAI_MAX_TOOLS) {
    throw new RangeError(`chunk size must be an integer from 1 to ${OPENAI_MAX_TOOLS}`);
  }
  const chunks: T[][] = [];
  for (let start = 0; start < tools.length; start += size) {
    chunks.push(tools.slice(start, start + size));
  }
  return chunks;
}
