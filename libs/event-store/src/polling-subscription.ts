import { Logger } from '@nestjs/common';

import {
  GlobalCheckpoint,
  matchesFilter,
  ReadAllResult,
  SubscribeOptions,
  Subscription,
} from './event-store.port';

export interface PollingSource {
  readAll(options: { after: GlobalCheckpoint; maxCount: number }): Promise<ReadAllResult>;
  /** Announces the store's appends; its generation is read before a read, waited on after. */
  appends: AppendSignal;
}

const IDLE_POLL_MS = 1_000;

/**
 * First look again after an announced append the read did not show yet; each
 * further look waits half as long again, up to the idle poll.
 */
const HIDDEN_APPEND_RETRY_MS = 20;

/**
 * Every subscription reads pages of this size, whatever its batch size, so
 * subscriptions at the same checkpoint ask the store for the same page and
 * the store can answer them with one read.
 */
const PAGE_SIZE = 500;

/**
 * Catch-up then live: read batches until the end, then wait for a wake-up (or
 * the idle poll), and read again. A full batch is followed by another read at
 * once; the checkpoint moves even when the filter matched nothing.
 */
export function startPollingSubscription(
  source: PollingSource,
  options: SubscribeOptions,
): Subscription {
  const logger = new Logger('EventSubscription');
  const abort = new AbortController();
  const batchSize = options.batchSize ?? 500;

  const loop = async (): Promise<void> => {
    let checkpoint = options.after;
    let caughtUpSignalled = false;
    let wokenByAppend = false;
    let hiddenRetryMs = HIDDEN_APPEND_RETRY_MS;

    while (!abort.signal.aborted) {
      // Taken before the read: an append announced while it runs wakes the
      // wait below at once instead of being missed until the idle poll.
      const generation = source.appends.generation;
      const page = await source.readAll({ after: checkpoint, maxCount: PAGE_SIZE });
      for (const chunk of chunksOf(page, batchSize)) {
        if (abort.signal.aborted || chunk.checkpoint === checkpoint) break;
        const events = chunk.events.filter((event) => matchesFilter(event, options.filter));
        await options.handle({ events, checkpoint: chunk.checkpoint });
        checkpoint = chunk.checkpoint;
      }
      if (!page.isEnd) continue;

      if (!caughtUpSignalled) {
        caughtUpSignalled = true;
        options.onCaughtUp?.();
      }
      // A store shows an append only once every older transaction has ended,
      // anywhere on the server, and such a transaction announces nothing when
      // it ends unless it appended too: look again soon rather than at the idle
      // poll. Another announcement still wakes the wait at once.
      const appendStillHidden: boolean = wokenByAppend && page.events.length === 0;
      const timeoutMs = appendStillHidden ? hiddenRetryMs : IDLE_POLL_MS;
      hiddenRetryMs = appendStillHidden
        ? Math.min(Math.ceil(hiddenRetryMs * 1.5), IDLE_POLL_MS)
        : HIDDEN_APPEND_RETRY_MS;
      await source.appends.wait(generation, timeoutMs, abort.signal);

      const announced = source.appends.generation !== generation;
      wokenByAppend = announced || appendStillHidden;
      if (options.lingerMs && announced) await sleep(options.lingerMs, abort.signal);
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

/** Splits an unfiltered page into batches, each ending at its last event's position. */
function chunksOf(page: ReadAllResult, size: number): ReadAllResult[] {
  if (page.events.length <= size) return [page];

  const chunks: ReadAllResult[] = [];
  for (let start = 0; start < page.events.length; start += size) {
    const events = page.events.slice(start, start + size);
    const last = start + size >= page.events.length;
    chunks.push({
      events,
      checkpoint: last ? page.checkpoint : events[events.length - 1].position,
      isEnd: last && page.isEnd,
    });
  }
  return chunks;
}

/** Resolves waiters when an append is announced; one instance per store. */
export class AppendSignal {
  private waiters = new Set<() => void>();
  /** How many appends were announced so far. */
  generation = 0;

  notify(): void {
    this.generation += 1;
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /**
   * Resolves when an append was announced after generation `seen` (at once
   * if one already was), or after `timeoutMs`.
   */
  wait(seen: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted || this.generation !== seen) return Promise.resolve();

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

/** Resolves after `ms`, or at once when the subscription stops. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();

  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
