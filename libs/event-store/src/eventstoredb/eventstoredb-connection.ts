/**
 * The client parses `esdb://` and `esdb+discover://`; KurrentDB documents the
 * same settings as `kurrentdb://` (or `kurrent://`), so both spellings work.
 */
export function toClientConnectionString(connectionString: string): string {
  return connectionString
    .trim()
    .replace(/^(?:kurrentdb|kurrent)(\+discover)?:\/\//i, (_scheme, discover?: string) => {
      return `esdb${discover ?? ''}://`;
    });
}
