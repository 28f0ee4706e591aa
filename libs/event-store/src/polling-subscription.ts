import { Logger } from '@nestjs/common';

import { GlobalCheckpoint, ReadAllResult, SubscribeOptions, Subscription } from './event-store.port';

export interface PollingSource {
  readAll(options: { after: GlobalCheckpoint; maxCount: number }): Promise<ReadAllResult>;
  /** Resolves when new events may exist, or after `timeoutMs`. */
  waitForAppend(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

const IDLE_POLL_MS = 1_000;

/**
 * Catch-up then live: read batches until the end, then wait for a wake-up (or
 * the idle poll), and read again. A full batch is followed by another read at
 * once; the checkpoint moves even when the filter matched nothing.
 */
export function startPollingSubscription(
  source: PollingSource,
  options: SubscribeOptions,
  filterRead: (result: ReadAllResult) => ReadAllResult,
): Subscription {
  const logger = new Logger('EventSubscription');
  const abort = new AbortController();
  const batchSize = options.batchSize ?? 500;

  const loop = async (): Promise<void> => {
    let checkpoint = options.after;
    let caughtUpSignalled = false;

    while (!abort.signal.aborted) {
      const result = filterRead(await source.readAll({ after: checkpoint, maxCount: batchSize }));
      const moved = result.checkpoint !== checkpoint;
      if (moved && !abort.signal.aborted) {
        await options.handle({ events: result.events, checkpoint: result.checkpoint });
        checkpoint = result.checkpoint;
      }
      if (!result.isEnd) continue;

      if (!caughtUpSignalled) {
        caughtUpSignalled = true;
        options.onCaughtUp?.();
      }
      await source.waitForAppend(IDLE_POLL_MS, abort.signal);
    }
  };

  const running = loop().catch((error: unknown) => {
    if (options.onError) options.onError(error);
    else logger.error({ msg: 'subscription stopped on an error', err: error });
  });

  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}

/** Resolves waiters when an append is announced; one instance per store. */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();

    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiters.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }
}
