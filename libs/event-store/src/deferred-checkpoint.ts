import { GlobalCheckpoint } from './event-store.port';

export interface DeferredCheckpointOptions {
  /** The longest a moved checkpoint stays in memory only. */
  delayMs: number;
  /**
   * Stores `position` if the stored one is still `previous` (compare and set),
   * so a late write never moves it back past one the consumer stored itself.
   */
  write(position: GlobalCheckpoint, previous: GlobalCheckpoint): Promise<void>;
  onError(error: unknown): void;
}

/**
 * A subscriber's checkpoint for batches whose replay changes nothing: it
 * moves in memory at once and in the database within `delayMs`. Writing it
 * per batch would cost every append one more statement per subscriber; after
 * a crash, the subscriber replays at most `delayMs` of such batches.
 */
export class DeferredCheckpoint {
  private stored: GlobalCheckpoint;
  private latest: GlobalCheckpoint;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: DeferredCheckpointOptions,
    initial: GlobalCheckpoint,
  ) {
    this.stored = initial;
    this.latest = initial;
  }

  get position(): GlobalCheckpoint {
    return this.latest;
  }

  /** The subscriber passed `position` with nothing to store: write it soon. */
  advance(position: GlobalCheckpoint): void {
    this.latest = position;
    if (this.timer) return;

    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.delayMs);
    this.timer.unref();
  }

  /** The subscriber stored `position` itself, in the transaction of its work. */
  storedBy(position: GlobalCheckpoint): void {
    this.cancel();
    this.stored = position;
    this.latest = position;
  }

  /** Starts over from `position` (a rebuild); nothing pending is written. */
  reset(position: GlobalCheckpoint): void {
    this.storedBy(position);
  }

  /** Writes what is pending now: on stop, before the session goes. */
  async flush(): Promise<void> {
    this.cancel();
    await this.writing;
    if (this.latest === this.stored) return;

    const position = this.latest;
    const previous = this.stored;
    this.writing = this.options
      .write(position, previous)
      .then(() => {
        if (this.stored === previous) this.stored = position;
      })
      .catch((error: unknown) => this.options.onError(error));
    await this.writing;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
