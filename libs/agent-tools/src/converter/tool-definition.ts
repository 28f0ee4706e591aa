import { JsonSchema } from './json-schema';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The root of a tool's arguments: always a closed object. A type alias, not an
 * interface, so it stays assignable to `JsonSchema`.
 */
export type ObjectJsonSchema = {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: string[];
  additionalProperties: false;
  description?: string;
};

/**
 * One API operation as a tool, independent of any model vendor. Path and query
 * parameters are top-level arguments and the JSON body sits under `body`; the
 * guardrail headers are never arguments, the runtime adds them.
 */
export interface ToolDefinition {
  name: string;
  description: string;
  method: HttpMethod;
  /** The path template as in the document, e.g. `/api/v1/incidents/{id}`. */
  path: string;
  operationId: string;
  /** The scope a token needs, or null for an operation open to any token. */
  scope: string | null;
  /** A scoped (agent) token may never call it; only a full token may. */
  fullTokenOnly: boolean;
  readOnly: boolean;
  destructive: boolean;
  /** The full JSON Schema of the arguments, every `$ref` inlined. */
  inputSchema: ObjectJsonSchema;
  /** The schema of the success answer, when it has a JSON body. */
  outputSchema?: JsonSchema;
  pathParams: string[];
  queryParams: string[];
}

/** `ChatCompletionFunctionTool` of the OpenAI SDK, in strict mode. */
export interface OpenAiTool {
  type: 'function';
  function: {
    name: string;
    description: string;
    parameters: ObjectJsonSchema;
    strict: true;
  };
}

/** `Tool` of the Anthropic SDK. */
export interface AnthropicTool {
  name: string;
  description: string;
  input_schema: ObjectJsonSchema;
}

/**
 * What LangChain JS `tool(fn, { name, description, schema })` and Python
 * `StructuredTool(args_schema=...)` take as they are, plus where to send it.
 */
export interface LangChainTool {
  name: string;
  description: string;
  schema: ObjectJsonSchema;
  metadata: {
    method: HttpMethod;
    path: string;
    scope: string | null;
    operationId: string;
  };
}

export interface ConvertedTools {
  openai: OpenAiTool[];
  anthropic: AnthropicTool[];
  langchain: LangChainTool[];
  catalog: ToolDefinition[];
}

/** Which token the tools are for; without options every tool is listed. */
export interface ToolConversionOptions {
  /** The token's scopes: only tools needing one of them are kept. */
  scopes?: readonly string[];
  /** A full token may call full-token-only tools and DELETE; a scoped one never. */
  fullToken?: boolean;
}
