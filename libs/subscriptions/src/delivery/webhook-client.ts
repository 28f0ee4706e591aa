import {
  Agent as HttpAgent,
  IncomingHttpHeaders,
  IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { LookupFunction, isIP } from 'node:net';
import { performance } from 'node:perf_hooks';

import { Logger } from '@nestjs/common';
import { Clock, SystemClock } from '@observe/core';

import { parseRetryAfter } from './retry-after';
import { SsrfGuard, SsrfRefusedError, parseTarget } from './ssrf-guard';
import { vettingLookup } from './vetting-lookup';

export type DeliveryOutcome = 'delivered' | 'failed' | 'gone' | 'throttled';

/** What went wrong, for the attempt log and for deciding what to do next. */
export type DeliveryErrorKind =
  'refused' | 'unresolvable' | 'connection' | 'timeout' | 'redirect' | 'status';

export interface DeliveryResult {
  /** `gone` (410): disable the subscription; `throttled` (429, 503): honour Retry-After. */
  outcome: DeliveryOutcome;
  status?: number;
  /** From the start of the attempt, DNS included, to the end of the response or failure. */
  latencyMs: number;
  error?: string;
  errorKind?: DeliveryErrorKind;
  retryAfterMs?: number;
  responseSnippet?: string;
}

export interface DeliveryRequest {
  url: string;
  /** The exact bytes that were signed; a string is sent as UTF-8. */
  body: Buffer | string;
  headers: Record<string, string>;
  timeoutMs?: number;
}

export interface WebhookClientOptions {
  guard: SsrfGuard;
  /** Total budget of an attempt: resolution, connection, request and response. */
  timeoutMs?: number;
  /** Response bytes read at most; a longer body is cut and its connection dropped. */
  maxResponseBytes?: number;
  /** Response bytes kept in the result for the attempt log. */
  maxSnippetBytes?: number;
  maxSocketsPerOrigin?: number;
  /** Origins with a pooled agent; the least recently used is closed beyond this. */
  maxOrigins?: number;
  /** How long an idle pooled connection stays open. */
  idleSocketMs?: number;
  userAgent?: string;
  /** Certificate authorities (PEM) trusted instead of Node's bundle, e.g. a private CA. */
  ca?: string | Buffer | Array<string | Buffer>;
  clock?: Clock;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Agent = HttpAgent | HttpsAgent;

/** A webhook URL as requests need it, parsed and checked once. */
interface Target {
  secure: boolean;
  origin: string;
  hostname: string;
  port: number | undefined;
  path: string;
  /** The URL's host (with its port unless the default), sent whatever the caller asked. */
  hostHeader: string;
  /** An IP literal has no name to present; SNI forbids sending one. */
  servername: string | undefined;
}

/** The attempt ran out of its time budget; raised by the client's own timer. */
class AttemptTimedOut extends Error {}

const DEFAULTS = {
  timeoutMs: 15_000,
  maxResponseBytes: 64 * 1024,
  maxSnippetBytes: 1024,
  maxSocketsPerOrigin: 8,
  maxOrigins: 500,
  idleSocketMs: 10_000,
  userAgent: '24observe-webhooks/1',
};

// The caller does not get to change where the request goes or how its body is framed.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/**
 * Sends one webhook attempt. Connections are pooled per origin, and each new
 * one goes only to addresses the guard vetted as it was opened: a hostname's
 * in the socket's lookup (see vettingLookup), an address literal's when its
 * URL is first parsed. So a DNS answer that changes between check and
 * connect (rebinding) cannot redirect it; the Host header and TLS server name
 * stay the URL's hostname. Redirects are never followed.
 */
export class WebhookClient {
  private readonly logger = new Logger(WebhookClient.name);
  private readonly settings: Required<Omit<WebhookClientOptions, 'guard' | 'clock' | 'ca'>>;
  private readonly guard: SsrfGuard;
  private readonly clock: Clock;
  private readonly ca: WebhookClientOptions['ca'];
  private readonly agents = new Map<string, Agent>();
  private readonly targets = new Map<string, Target>();
  private readonly lookup: LookupFunction;

  constructor(options: WebhookClientOptions) {
    const { guard, clock, ca, ...rest } = options;
    this.guard = guard;
    this.clock = clock ?? new SystemClock();
    this.ca = ca;
    this.settings = { ...DEFAULTS, ...withoutUndefined(rest) };
    this.lookup = vettingLookup(guard);
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const started = performance.now();
    const timeoutMs = request.timeoutMs ?? this.settings.timeoutMs;

    try {
      const response = await this.exchange(this.targetOf(request.url), request, timeoutMs);
      return this.interpret(response, latencySince(started));
    } catch (error: unknown) {
      return this.failure(error, timeoutMs, latencySince(started));
    }
  }

  /** Closes every pooled connection; for shutdown. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
    this.targets.clear();
  }

  /**
   * Sends the request and reads the answer, within one timer for the whole
   * attempt: the lookup, the connection, the request and the response.
   */
  private exchange(target: Target, request: DeliveryRequest, timeoutMs: number) {
    const send = target.secure ? httpsRequest : httpRequest;
    const length =
      typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.length;

    return new Promise<RawResponse>((resolve, reject) => {
      const outgoing = send(
        {
          host: target.hostname,
          port: target.port,
          path: target.path,
          method: 'POST',
          // As a list the headers go out as given, without a per-header map built first.
          headers: this.outgoingHeaders(target, request.headers, length),
          agent: this.agentFor(target),
          servername: target.servername,
        },
        (incoming) => {
          void readCapped(incoming, this.settings.maxResponseBytes).then((bytes) => {
            clearTimeout(timer);
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: bytes });
          });
        },
      );
      const timer = setTimeout(() => outgoing.destroy(new AttemptTimedOut()), timeoutMs);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      // A string body goes out with the header in one write, as the UTF-8 bytes that were signed.
      outgoing.end(request.body);
    });
  }

  /** The parsed URL, cached: a dispatcher sends to the same few URLs again and again. */
  private targetOf(url: string): Target {
    const known = this.targets.get(url);
    if (known) return known;

    const { url: parsed, hostname } = parseTarget(url);
    // A socket skips its lookup for a literal, so the guard judges it here; only an allowed
    // target is kept, and its pool never connects anywhere else.
    if (isIP(hostname) !== 0) this.guard.assertAddressAllowed(hostname);
    const secure = parsed.protocol === 'https:';
    const target: Target = {
      secure,
      origin: parsed.origin,
      hostname,
      port: parsed.port === '' ? undefined : Number(parsed.port),
      path: `${parsed.pathname}${parsed.search}`,
      hostHeader: parsed.host,
      servername: secure && isIP(hostname) === 0 ? hostname : undefined,
    };
    if (this.targets.size >= this.settings.maxOrigins) {
      const [oldest] = this.targets.keys();
      if (oldest !== undefined) this.targets.delete(oldest);
    }
    this.targets.set(url, target);
    return target;
  }

  private interpret(response: RawResponse, latencyMs: number): DeliveryResult {
    const { status } = response;
    const snippet = response.body.subarray(0, this.settings.maxSnippetBytes).toString('utf8');
    const base = { status, latencyMs, ...(snippet === '' ? {} : { responseSnippet: snippet }) };

    if (status >= 200 && status < 300) return { outcome: 'delivered', ...base };
    if (status === 410) {
      const error = 'HTTP 410: the receiver is gone';
      return { outcome: 'gone', ...base, error, errorKind: 'status' };
    }

    if (status === 429 || status === 503) {
      const retryAfter = firstHeader(response.headers['retry-after']);
      const retryAfterMs = parseRetryAfter(retryAfter, this.clock.now());
      return {
        outcome: 'throttled',
        ...base,
        error: `HTTP ${status}`,
        errorKind: 'status',
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    }

    if (status >= 300 && status < 400) {
      const location = firstHeader(response.headers.location)?.slice(0, 500) ?? 'nowhere';
      const error = `HTTP ${status}: redirect to ${location} not followed`;
      return { outcome: 'failed', ...base, error, errorKind: 'redirect' };
    }

    return { outcome: 'failed', ...base, error: `HTTP ${status}`, errorKind: 'status' };
  }

  private failure(error: unknown, timeoutMs: number, latencyMs: number): DeliveryResult {
    if (error instanceof AttemptTimedOut) {
      const message = `no response within ${timeoutMs} ms`;
      return { outcome: 'failed', latencyMs, error: message, errorKind: 'timeout' };
    }

    if (error instanceof SsrfRefusedError) {
      if (error.reason === 'address') {
        // A target that passed registration and now points inward may be probing us.
        this.logger.warn({
          msg: 'webhook target refused at connection; not sent',
          host: error.host,
          address: error.address,
          addressClass: error.addressClass,
        });
      }
      const errorKind = error.reason === 'unresolvable' ? 'unresolvable' : 'refused';
      return { outcome: 'failed', latencyMs, error: error.message, errorKind };
    }

    const message = error instanceof Error ? error.message : String(error);
    return { outcome: 'failed', latencyMs, error: message, errorKind: 'connection' };
  }

  /** Name, value, name, value...: the caller's headers, then what the client decides. */
  private outgoingHeaders(
    target: Target,
    headers: Record<string, string>,
    length: number,
  ): string[] {
    const lines = ['host', target.hostHeader];
    let hasUserAgent = false;
    for (const name of Object.keys(headers)) {
      const lower = name.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) continue;
      if (lower === 'user-agent') hasUserAgent = true;
      lines.push(name, headers[name] ?? '');
    }

    if (!hasUserAgent) lines.push('user-agent', this.settings.userAgent);
    lines.push('content-length', String(length));
    return lines;
  }

  /** One keep-alive pool per origin, so busy receivers reuse their connections. */
  private agentFor(target: Target): Agent {
    const existing = this.agents.get(target.origin);
    if (existing) {
      // Re-inserting keeps the map in least-recently-used order.
      this.agents.delete(target.origin);
      this.agents.set(target.origin, existing);
      return existing;
    }

    const options = {
      keepAlive: true,
      maxSockets: this.settings.maxSocketsPerOrigin,
      timeout: this.settings.idleSocketMs,
      scheduling: 'lifo' as const,
      lookup: this.lookup,
    };
    const agent = target.secure
      ? new HttpsAgent({ ...options, ...(this.ca === undefined ? {} : { ca: this.ca }) })
      : new HttpAgent(options);
    this.agents.set(target.origin, agent);

    if (this.agents.size > this.settings.maxOrigins) {
      const [oldest] = this.agents.keys();
      if (oldest !== undefined) {
        this.agents.get(oldest)?.destroy();
        this.agents.delete(oldest);
      }
    }
    return agent;
  }
}

/** Reads up to `limit` bytes, then drops the rest; resolves with what arrived, even on error. */
function readCapped(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => resolve(Buffer.concat(chunks, size));

    incoming.on('data', (chunk: Buffer) => {
      const part = chunk.subarray(0, Math.max(0, limit - size));
      chunks.push(part);
      size += part.length;
      if (size >= limit) {
        finish();
        incoming.destroy();
      }
    });
    incoming.on('end', finish);
    incoming.on('error', finish);
    incoming.on('close', finish);
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function latencySince(started: number): number {
  return Math.round(performance.now() - started);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  const defined = Object.entries(value).filter(([, entry]) => entry !== undefined);
  return Object.fromEntries(defined) as Partial<T>;
}
