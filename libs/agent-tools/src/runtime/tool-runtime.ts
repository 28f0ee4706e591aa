import { randomUUID } from 'node:crypto';

import { SAFE_ID } from '@observe/core';

import { buildToolCatalog } from '../converter/tool-catalog';
import { OpenApiDocument } from '../converter/openapi-document';
import { HttpMethod, ToolDefinition } from '../converter/tool-definition';
import { ArgumentValidator } from './argument-validator';
import { decodeArguments } from './argument-decoding';
import { deriveIdempotencyKey } from './idempotency-key';
import { retryAfterMs } from './retry-after';
import { ArgumentEncoding, parseToolCall, ToolCall } from './tool-call';
import { ToolRuntimeError } from './tool-runtime.error';

/** What the API accepts in `X-Agent-Id` and `X-Conversation-Id`. */
const RETRIED_STATUSES = new Set([409, 429, 503]);

export interface ToolRuntimeOptions {
  /** The catalog from `convertOpenApiToTools`, or the OpenAPI document itself. */
  tools: readonly ToolDefinition[] | OpenApiDocument;
  /** The API's origin, e.g. `https://observe.example.com`; tool paths carry `/api/v1`. */
  baseUrl: string;
  /** The `obs_` token sent as a bearer token. */
  token: string;
  /** Sent as `X-Agent-Id` and recorded on every event the calls produce. */
  agentId: string;
  /** Sent as `X-Conversation-Id` and recorded on every event the calls produce. */
  conversationId: string;
}

export interface ToRequestOptions {
  /** Overrides the encoding guessed from the call's shape. */
  encoding?: ArgumentEncoding;
}

export interface ToolRequest {
  tool: string;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  /** The exact JSON text sent, when the call has a body. */
  body?: string;
}

export interface ExecuteOptions extends ToRequestOptions {
  fetch?: typeof fetch;
  /** Further attempts after the first; 2 unless said. */
  retries?: number;
  /** A longer Retry-After is not waited for: the answer is returned as it is. */
  maxRetryDelayMs?: number;
  /** Per attempt; a timed-out attempt is retried with the same Idempotency-Key. */
  timeoutMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export interface ToolResult {
  status: number;
  ok: boolean;
  /** Parsed JSON for JSON answers (problem+json included), else text, or null when empty. */
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Turns tool calls from OpenAI, Anthropic or LangChain into 24observe API
 * requests, and sends them. It adds what models must never supply: the bearer
 * token, the agent headers, and an Idempotency-Key derived from the call id,
 * so every retry of one call is the same request to the API.
 */
export class ToolRuntime {
  private readonly tools: Map<string, ToolDefinition>;
  private readonly validator = new ArgumentValidator();
  private readonly baseUrl: string;

  constructor(private readonly options: ToolRuntimeOptions) {
    const catalog = isCatalog(options.tools) ? options.tools : buildToolCatalog(options.tools);
    this.tools = new Map(catalog.map((tool) => [tool.name, tool]));
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    assertConfiguration(options);
  }

  /** The tools this runtime can execute, in catalog order. */
  get catalog(): ToolDefinition[] {
    return [...this.tools.values()];
  }

  toRequest(call: ToolCall, options: ToRequestOptions = {}): ToolRequest {
    const parsed = parseToolCall(call);
    const tool = this.tools.get(parsed.name);
    if (tool === undefined) {
      throw new ToolRuntimeError('unknown_tool', `unknown tool "${parsed.name}"`, {
        tool: parsed.name,
        known: [...this.tools.keys()],
      });
    }

    const encoding = options.encoding ?? parsed.encoding;
    const args = decodeArguments(parsed.arguments ?? {}, tool.inputSchema, encoding);
    const valid = this.validator.validate(tool, args);

    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      Authorization: `Bearer ${this.options.token}`,
      'X-Agent-Id': this.options.agentId,
      'X-Conversation-Id': this.options.conversationId,
    };
    if (tool.method !== 'GET') {
      headers['Idempotency-Key'] =
        parsed.callId === undefined
          ? randomUUID()
          : deriveIdempotencyKey([
              this.options.agentId,
              this.options.conversationId,
              tool.name,
              parsed.callId,
            ]);
    }

    const request: ToolRequest = {
      tool: tool.name,
      method: tool.method,
      url: `${this.baseUrl}${fillPath(tool, valid)}${queryString(tool, valid)}`,
      headers,
    };
    if (valid.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      request.body = JSON.stringify(valid.body);
    }
    return request;
  }

  /**
   * Sends the call. Network failures, timeouts, 429 and 503 are retried, and
   * a 409 that carries Retry-After (the same key still in flight); every
   * attempt reuses one Idempotency-Key, so the API acts at most once.
   */
  async execute(call: ToolCall, options: ExecuteOptions = {}): Promise<ToolResult> {
    const request = this.toRequest(call, options);
    const send = options.fetch ?? fetch;
    const retries = options.retries ?? 2;
    const maxDelay = options.maxRetryDelayMs ?? 30_000;
    const sleep = options.sleep ?? delay;

    for (let attempt = 0; ; attempt += 1) {
      const last = attempt >= retries;
      let response: Response;
      try {
        response = await send(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: attemptSignal(options),
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        if (last) {
          throw new ToolRuntimeError(
            'network',
            `${request.method} ${request.url} failed after ${attempt + 1} attempts`,
            { tool: request.tool },
            error,
          );
        }
        await sleep(backoffMs(attempt));
        continue;
      }

      const wait = retryDelay(response, attempt);
      if (last || wait === undefined || wait > maxDelay) return readResult(response);
      await response.body?.cancel();
      await sleep(wait);
    }
  }
}

function isCatalog(tools: ToolRuntimeOptions['tools']): tools is readonly ToolDefinition[] {
  return Array.isArray(tools);
}

function assertConfiguration(options: ToolRuntimeOptions): void {
  const problems: string[] = [];
  if (!/^https?:\/\/[^\s]+$/.test(options.baseUrl)) problems.push('baseUrl must be an http(s) URL');
  if (!/^[\x21-\x7e]+$/.test(options.token)) problems.push('token must be printable ASCII');
  if (!SAFE_ID.test(options.agentId)) {
    problems.push('agentId must be 1-128 of A-Z a-z 0-9 . _ : -');
  }
  if (!SAFE_ID.test(options.conversationId)) {
    problems.push('conversationId must be 1-128 of A-Z a-z 0-9 . _ : -');
  }
  if (problems.length > 0) {
    throw new ToolRuntimeError('invalid_configuration', problems.join('; '), { problems });
  }
}

function fillPath(tool: ToolDefinition, args: Record<string, unknown>): string {
  return tool.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = String(args[name]);
    // URL parsing resolves "." and ".." segments even when percent-encoded.
    if (value === '' || value === '.' || value === '..') {
      throw new ToolRuntimeError(
        'invalid_arguments',
        `invalid arguments for ${tool.name}: ${name} cannot be "${value}"`,
        { tool: tool.name, errors: [`${name} cannot be "${value}"`] },
      );
    }
    return encodeURIComponent(value);
  });
}

/** Form style, exploded: arrays repeat the key, as OpenAPI's default says. */
function queryString(tool: ToolDefinition, args: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const name of tool.queryParams) {
    const value = args[name];
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  const text = query.toString();
  return text.length === 0 ? '' : `?${text}`;
}

function retryDelay(response: Response, attempt: number): number | undefined {
  if (!RETRIED_STATUSES.has(response.status)) return undefined;
  const after = retryAfterMs(response.headers.get('retry-after'));
  // A 409 without Retry-After is a real conflict, not a request in flight.
  if (response.status === 409) return after;
  return after ?? backoffMs(attempt);
}

function backoffMs(attempt: number): number {
  const base = 250 * 2 ** attempt;
  return base + Math.floor(Math.random() * base);
}

function attemptSignal(options: ExecuteOptions): AbortSignal | undefined {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  return options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
}

async function readResult(response: Response): Promise<ToolResult> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });

  const text = await response.text();
  let body: unknown = text.length === 0 ? null : text;
  if (text.length > 0 && /json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      // A body that claims JSON but is not stays as text for the caller to see.
    }
  }
  return { status: response.status, ok: response.ok, body, headers };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
