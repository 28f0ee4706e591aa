/**
 * Marks a failure worth retrying (a broker or database hiccup), as opposed to
 * a poison message that will fail the same way every time.
 */
export class RetriableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'RetriableError';
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof RetriableError;
}
