import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The subscriber's side: answers 204 at once and notes when each webhook-id
 * first arrived. Runs in the benchmark's process, for the dispatcher and for
 * the bare POST loop alike.
 */
export class BenchReceiver {
  readonly arrivals = new Map<string, number>();
  requests = 0;
  private server?: Server;
  private waiters: Array<{ ids: ReadonlySet<string>; missing: number; done: () => void }> = [];
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        this.requests += 1;
        const id = request.headers['webhook-id'];
        if (typeof id === 'string' && !this.arrivals.has(id)) {
          this.arrivals.set(id, performance.now());
          this.arrived(id);
        }
        response.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/webhooks`;
  }

  /** Resolves once every id has arrived, or rejects after `timeoutMs`. */
  waitFor(ids: ReadonlySet<string>, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const missing = [...ids].filter((id) => !this.arrivals.has(id)).length;
      if (missing === 0) return resolve();

      const waiter = { ids, missing, done: () => undefined };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        reject(
          new Error(
            `${waiter.missing} of ${ids.size} webhooks did not arrive within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      waiter.done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(waiter);
    });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Constant work per arrival, so waiting does not slow the receiver down. */
  private arrived(id: string): void {
    for (const waiter of this.waiters) {
      if (!waiter.ids.has(id)) continue;
      waiter.missing -= 1;
      if (waiter.missing === 0) waiter.done();
    }
    this.waiters = this.waiters.filter((waiter) => waiter.missing > 0);
  }
}
