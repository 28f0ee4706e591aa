/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
export class ProgressBar {
  private readonly enabled = Boolean(process.stderr.isTTY);
  private lastDrawn = 0;

  constructor(private readonly label: string) {}

  update(done: number, total?: number): void {
    if (!this.enabled || Date.now() - this.lastDrawn < 100) return;

    this.lastDrawn = Date.now();
    const width = 30;
    const ratio = total ? Math.min(1, done / total) : 0;
    const bar = total ? `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ` : '';
    const count = total ? `${done}/${total}` : `${done}`;
    process.stderr.write(`\r${this.label} ${bar}${count}`);
  }

  finish(done: number): void {
    if (this.enabled) process.stderr.write(`\r${this.label} ${done} done${' '.repeat(30)}\n`);
  }
}
