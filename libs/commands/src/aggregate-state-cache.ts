export interface CachedState {
  state: unknown;
  revision: number;
  /** The id of the event at `revision`, to check the store still holds that event there. */
  lastEventId: string;
}

const MAX_STREAMS_PER_DECIDER = 10_000;

/**
 * Committed states of recently used streams, per decider. Events never
 * change, so a state at revision r stays true; a load then reads only what
 * follows, and a command may decide on it at once (its append checks r).
 */
export class AggregateStateCache {
  private readonly byDecider = new WeakMap<object, Map<string, CachedState>>();

  get(decider: object, streamId: string): CachedState | undefined {
    const streams = this.byDecider.get(decider);
    const entry = streams?.get(streamId);
    if (!streams || !entry) return undefined;

    // Map order is insertion order: move the entry to the back (most recent).
    streams.delete(streamId);
    streams.set(streamId, entry);
    return entry;
  }

  set(decider: object, streamId: string, entry: CachedState): void {
    let streams = this.byDecider.get(decider);
    if (!streams) {
      streams = new Map();
      this.byDecider.set(decider, streams);
    }
    // Two transactions of one stream may report their commits out of order.
    const held = streams.get(streamId);
    if (held && held.revision > entry.revision) return;
    streams.delete(streamId);
    streams.set(streamId, entry);
    if (streams.size > MAX_STREAMS_PER_DECIDER) {
      const oldest = streams.keys().next().value;
      if (oldest !== undefined) streams.delete(oldest);
    }
  }

  forget(decider: object, streamId: string): void {
    this.byDecider.get(decider)?.delete(streamId);
  }
}
