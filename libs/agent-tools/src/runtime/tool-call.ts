import { isRecord } from '../converter/json-schema';
import { ToolRuntimeError } from './tool-runtime.error';

/** Chat Completions: `message.tool_calls[i]`. */
export interface OpenAiChatToolCall {
  id?: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Responses API: a `function_call` output item. */
export interface OpenAiResponsesFunctionCall {
  type: 'function_call';
  call_id?: string;
  id?: string;
  name: string;
  arguments: string;
}

/** The bare `{ name, arguments }` many clients pass around. */
export interface NamedArgumentsCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

/** Anthropic Messages: a `tool_use` content block. */
export interface AnthropicToolUse {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}

/** LangChain: `AIMessage.tool_calls[i]`. */
export interface LangChainToolCall {
  name: string;
  args: Record<string, unknown>;
  id?: string;
  type?: 'tool_call';
}

export type ToolCall =
  | OpenAiChatToolCall
  | OpenAiResponsesFunctionCall
  | NamedArgumentsCall
  | AnthropicToolUse
  | LangChainToolCall;

/**
 * How the arguments were shaped: `strict` for OpenAI strict-mode schemas
 * (null for left out, `{key, value}` lists for maps, `{set}` wrappers),
 * `plain` for the full schema Anthropic and LangChain are given.
 */
export type ArgumentEncoding = 'strict' | 'plain';

export interface ParsedToolCall {
  name: string;
  /** The id the model gave the call, when it gave one. */
  callId?: string;
  arguments: unknown;
  encoding: ArgumentEncoding;
}

/**
 * Reads a tool call in any of the supported shapes. Calls often arrive as
 * parsed JSON, so the shape is checked field by field, not trusted.
 */
export function parseToolCall(call: ToolCall): ParsedToolCall {
  const raw: unknown = call;
  if (!isRecord(raw)) throw new ToolRuntimeError('invalid_call', 'a tool call must be an object');

  if (raw.type === 'tool_use') {
    return { ...named(raw.name, raw.id), arguments: raw.input, encoding: 'plain' };
  }
  if (isRecord(raw.function)) {
    const { name, arguments: args } = raw.function;
    return { ...named(name, raw.id), arguments: parseJsonArguments(args), encoding: 'strict' };
  }
  if ('args' in raw) {
    return { ...named(raw.name, raw.id), arguments: raw.args, encoding: 'plain' };
  }
  if ('arguments' in raw) {
    const callId = raw.call_id ?? raw.id;
    return {
      ...named(raw.name, callId),
      arguments: parseJsonArguments(raw.arguments),
      encoding: 'strict',
    };
  }
  throw new ToolRuntimeError(
    'invalid_call',
    'unrecognised tool call: expected the OpenAI, Anthropic or LangChain shape',
  );
}

function named(name: unknown, callId: unknown): { name: string; callId?: string } {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ToolRuntimeError('invalid_call', 'the tool call has no name');
  }
  return typeof callId === 'string' && callId.length > 0 ? { name, callId } : { name };
}

function parseJsonArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  if (raw.trim().length === 0) return {};
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ToolRuntimeError('invalid_arguments', 'the arguments are not valid JSON', {}, error);
  }
}
