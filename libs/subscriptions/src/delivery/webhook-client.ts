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
import { ResolvedAddress, SsrfGuard, SsrfRefusedError, parseTarget } from './ssrf-guard';

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
 * Sends one webhook attempt. Every new connection goes to an address the
 * guard vetted moments before, pinned through the socket's lookup, so a
 * DNS answer that changes between check and connect (rebinding) cannot
 * redirect it; the Host header and TLS server name stay the URL's hostname.
 * Redirects are never followed.
 */
export class WebhookClient {
  private readonly logger = new Logger(WebhookClient.name);
  private readonly settings: Required<Omit<WebhookClientOptions, 'guard' | 'clock' | 'ca'>>;
  private readonly guard: SsrfGuard;
  private readonly clock: Clock;
  private readonly ca: WebhookClientOptions['ca'];
  private readonly agents = new Map<string, Agent>();

  constructor(options: WebhookClientOptions) {
    const { guard, clock, ca, ...rest } = options;
    this.guard = guard;
    this.clock = clock ?? new SystemClock();
    this.ca = ca;
    this.settings = { ...DEFAULTS, ...withoutUndefined(rest) };
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const started = performance.now();
    const timeoutMs = request.timeoutMs ?? this.settings.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);

    try {
      const target = parseTarget(request.url);

      const addresses = await abortable(this.guard.assertUrlAllowed(target.url), deadline.signal);

      const response = await this.exchange(target, addresses, request, deadline.signal);
      return this.interpret(response, latencySince(started));
    } catch (error: unknown) {
      return this.failure(error, deadline.signal.aborted, timeoutMs, latencySince(started));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every pooled connection; for shutdown. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private exchange(
    target: { url: URL; hostname: string },
    addresses: ResolvedAddress[],
    request: DeliveryRequest,
    signal: AbortSignal,
  ): Promise<RawResponse> {
    const body =
      typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    const secure = target.url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;

    return new Promise<RawResponse>((resolve, reject) => {
      const outgoing = send(
        {
          protocol: target.url.protocol,
          hostname: target.hostname,
          port: target.url.port === '' ? undefined : Number(target.url.port),
          path: `${target.url.pathname}${target.url.search}`,
          method: 'POST',
          headers: this.outgoingHeaders(request.headers, body.length),
          agent: this.agentFor(target.url.origin, secure),
          lookup: pinnedLookup(addresses),
          // An IP literal has no name to present; SNI forbids sending one.
          servername: secure && isIP(target.hostname) === 0 ? target.hostname : undefined,
          signal,
        },
        (incoming) => {
          void readCapped(incoming, this.settings.maxResponseBytes).then((bytes) =>
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: bytes }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
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

  private failure(
    error: unknown,
    timedOut: boolean,
    timeoutMs: number,
    latencyMs: number,
  ): DeliveryResult {
    if (timedOut) {
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

  private outgoingHeaders(headers: Record<string, string>, length: number): Record<string, string> {
    const kept = Object.entries(headers).filter(
      ([name]) => !RESERVED_HEADERS.has(name.toLowerCase()),
    );
    const hasUserAgent = kept.some(([name]) => name.toLowerCase() === 'user-agent');

    return {
      ...(hasUserAgent ? {} : { 'user-agent': this.settings.userAgent }),
      ...Object.fromEntries(kept),
      'content-length': String(length),
    };
  }

  /** One keep-alive pool per origin, so busy receivers reuse their connections. */
  private agentFor(origin: string, secure: boolean): Agent {
    const existing = this.agents.get(origin);
    if (existing) {
      // Re-inserting keeps the map in least-recently-used order.
      this.agents.delete(origin);
      this.agents.set(origin, existing);
      return existing;
    }

    const options = {
      keepAlive: true,
      maxSockets: this.settings.maxSocketsPerOrigin,
      timeout: this.settings.idleSocketMs,
      scheduling: 'lifo' as const,
    };
    const agent = secure
      ? new HttpsAgent({ ...options, ...(this.ca === undefined ? {} : { ca: this.ca }) })
      : new HttpAgent(options);
    this.agents.set(origin, agent);

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

/**
 * Answers the socket's lookup with the vetted addresses only. With `all`
 * set, Node tries each in turn (happy eyeballs); every one was checked.
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable =
      family === 4 || family === 6
        ? addresses.filter((candidate) => candidate.family === family)
        : addresses;
    const [first] = usable;
    if (!first) {
      const error: NodeJS.ErrnoException = new Error('no vetted address of the requested family');
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }

    if (options.all) callback(null, usable);
    else callback(null, first.address, first.family);
  };
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

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
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
