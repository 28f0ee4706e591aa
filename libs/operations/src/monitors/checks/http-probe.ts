import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';

import { HttpMethod } from '../domain';
import { MonitorTargetGuard } from './monitor-target-guard';

export interface ProbeRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Statuses that count as up; empty means any 2xx. */
  expectedStatus: number[];
}

export interface ProbeResult {
  up: boolean;
  status: number | null;
  latencyMs: number;
  /** Why the check failed, in words safe to store and show: never a header value. */
  error: string | null;
}

const MAX_BODY_BYTES = 64 * 1024;
const USER_AGENT = '24observe-monitor/1';

/**
 * One HTTP check. The target is vetted by the SSRF guard on every check and
 * the connection pinned to the vetted addresses, so a DNS answer that
 * changes after the check cannot redirect it; redirects are never followed.
 */
export class HttpProbe {
  constructor(private readonly targets: MonitorTargetGuard) {}

  async check(request: ProbeRequest): Promise<ProbeResult> {
    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
    const latency = (): number => Math.round(performance.now() - started);

    try {
      const addresses = await this.targets.resolve(request.url);
      const status = await this.exchange(request, addresses, deadline.signal);
      const up =
        request.expectedStatus.length === 0
          ? status >= 200 && status < 300
          : request.expectedStatus.includes(status);
      return { up, status, latencyMs: latency(), error: up ? null : `HTTP ${status}` };
    } catch (error) {
      const reason = deadline.signal.aborted
        ? `no response within ${request.timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : 'request failed';
      return { up: false, status: null, latencyMs: latency(), error: reason };
    } finally {
      clearTimeout(timer);
    }
  }

  private exchange(
    request: ProbeRequest,
    addresses: Array<{ address: string; family: 4 | 6 }>,
    signal: AbortSignal,
  ): Promise<number> {
    const url = new URL(request.url);
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;

    return new Promise<number>((resolve, reject) => {
      const outgoing = send(
        {
          protocol: url.protocol,
          hostname,
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: { 'user-agent': USER_AGENT, ...request.headers },
          agent: false,
          lookup: pinnedLookup(addresses),
          servername: secure && isIP(hostname) === 0 ? hostname : undefined,
          signal,
        },
        (incoming) => {
          void drain(incoming).then(() => resolve(incoming.statusCode ?? 0));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
}

/** Answers the socket's lookup with the vetted addresses only. */
function pinnedLookup(addresses: Array<{ address: string; family: 4 | 6 }>): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const usable =
      wanted === 4 || wanted === 6
        ? addresses.filter((candidate) => candidate.family === wanted)
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

/** Reads and drops the body, up to a cap, so the socket closes cleanly. */
function drain(incoming: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        incoming.destroy();
        resolve();
      }
    });
    incoming.on('end', resolve);
    incoming.on('error', () => resolve());
    incoming.on('close', resolve);
  });
}
