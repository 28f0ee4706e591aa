/**
 * A complete answer decided before the handler ran (an idempotent replay).
 * Thrown so that it bypasses the handler; the problem filter sends it as is.
 */
export class PreparedResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super('prepared response');
    this.name = 'PreparedResponse';
  }
}
