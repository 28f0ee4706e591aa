/**
 * An alert that opened no incident and paged nobody because its service was
 * in maintenance. Appended to the stream of the first covering window; it
 * names every window that covered the service, since overlapping windows
 * each count.
 */
export type AlertSuppressed = {
  type: 'AlertSuppressed';
  data: {
    windowIds: string[];
    service: string;
    dedupKey: string | null;
    summary: string;
    severity: string | null;
    source: string | null;
    suppressedAt: string;
  };
};
