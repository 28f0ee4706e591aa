/**
 * Runs `work` every `intervalMs`, never two at once, until stopped. Errors go
 * to `onError` and the task keeps its schedule.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs once now (tests, and shutdown flushes). */
  async runNow(): Promise<void> {
    await this.running;
    this.running = this.work()
      .then(() => undefined)
      .catch(this.onError);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      await this.runNow();
      this.schedule();
    }, this.intervalMs);
    this.timer.unref();
  }
}
