import { RecordedEvent } from '../event-envelope';
import { GlobalCheckpoint } from '../event-store.port';

export interface RecentRead {
  events: RecordedEvent[];
  /** True when nothing newer than these events was visible as of `generation`. */
  reachesTail: boolean;
}

/**
 * The newest stretch of the global stream this process has read, complete
 * between its bounds. A page read after X holds every committed event from X
 * to its last one (the read stops below the oldest running transaction), so
 * consecutive pages join into one gap-free stretch. The subscriptions of a
 * process (projections, relay, workers) trail the head at slightly different
 * positions; they read this stretch from memory instead of one query each.
 */
export class RecentEvents {
  /** Exclusive lower bound of `events`; undefined while nothing is held. */
  private from?: GlobalCheckpoint;
  private events: RecordedEvent[] = [];
  /** Whether the last page that reached the tail was shorter than its limit. */
  private tailComplete = false;
  /** The append generation at which that page's read started. */
  private tailGeneration = -1;
  /** When a read last found the tail current (monotonic milliseconds). */
  private tailConfirmedAt = -Infinity;

  constructor(
    private readonly compare: (a: GlobalCheckpoint, b: GlobalCheckpoint) => number,
    private readonly capacity: number,
    /**
     * How long a confirmed tail answers readers at it without a query. Bounded
     * because a commit can become readable without an announcement (an older
     * transaction that held the read horizon back ended).
     */
    private readonly tailFreshMs = 20,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Events after `after` from memory, or undefined when `after` is outside
   * the stretch (or at its end, where only the database knows what is next).
   */
  read(after: GlobalCheckpoint, maxCount: number, generation: number): RecentRead | undefined {
    if (this.from === undefined) return undefined;
    if (this.compare(after, this.from) < 0) return undefined;
    const order = this.compare(after, this.tail());
    if (order > 0) return undefined;
    if (order === 0) {
      // A reader arriving at the tail just read, with nothing announced since:
      // the database would answer the same empty page.
      const fresh = this.now() - this.tailConfirmedAt <= this.tailFreshMs;
      const current = this.tailComplete && this.tailGeneration === generation;
      return fresh && current ? { events: [], reachesTail: true } : undefined;
    }

    const start = this.firstAfter(after);
    const events = this.events.slice(start, start + maxCount);
    const reachedEnd = start + events.length === this.events.length;
    return {
      events,
      reachesTail: reachedEnd && this.tailComplete && this.tailGeneration === generation,
    };
  }

  /**
   * Takes in a page read from the database: `page` is every event after
   * `after` up to its last one; `complete` when the read hit no limit;
   * `generation` is the append generation when the read started.
   */
  record(after: GlobalCheckpoint, page: RecordedEvent[], complete: boolean, generation: number) {
    if (this.from !== undefined && this.compare(after, this.tail()) === 0 && page.length === 0) {
      // Nothing after the tail as of this read: the tail is current that long.
      if (complete) this.confirmTail(generation);
      return;
    }
    if (page.length === 0) return;
    const pageEnd = page[page.length - 1].position;

    const joins =
      this.from !== undefined &&
      this.compare(after, this.from) >= 0 &&
      this.compare(after, this.tail()) <= 0;
    if (!joins) {
      // Not next to what is held: a reader far behind (catch-up) or the first
      // read. The newest stretch is the one worth keeping.
      if (this.from !== undefined && this.compare(pageEnd, this.tail()) <= 0) return;
      this.from = after;
      // A copy: the page also went to its reader, and the held stretch grows in place.
      this.events = page.slice();
      this.markTail(complete, generation);
      this.trim();
      return;
    }

    const order = this.compare(pageEnd, this.tail());
    if (order < 0) return;
    if (order === 0) {
      if (complete) this.confirmTail(generation);
      return;
    }
    // In place: a busy process records a page every few appends, and copying
    // the whole stretch each time was most of what this class allocated.
    this.events.length = this.firstAfter(after);
    for (const event of page) this.events.push(event);
    this.markTail(complete, generation);
    this.trim();
  }

  private confirmTail(generation: number): void {
    if (generation >= this.tailGeneration) this.markTail(true, generation);
  }

  private markTail(complete: boolean, generation: number): void {
    this.tailComplete = complete;
    this.tailGeneration = generation;
    this.tailConfirmedAt = this.now();
  }

  private tail(): GlobalCheckpoint {
    return this.events[this.events.length - 1].position;
  }

  /** Index of the first held event after `position` (binary search). */
  private firstAfter(position: GlobalCheckpoint): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(this.events[middle].position, position) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private trim(): void {
    const excess = this.events.length - this.capacity;
    if (excess <= 0) return;
    this.from = this.events[excess - 1].position;
    this.events.splice(0, excess);
  }
}
