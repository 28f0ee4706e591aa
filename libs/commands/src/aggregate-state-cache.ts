interface CachedState {
  state: unknown;
  revision: number;
  /** The id of the event at `revision`, to tell a rolled-back write from the stored one. */
  lastEventId: string;
}

const MAX_STREAMS_PER_DECIDER = 10_000;

/**
 * Folded states of recently used streams, per decider. Events never change,
 * so a state at revision r stays right; a load then reads only what follows.
 * An entry is trusted only when the stored event at r still has the same id,
 * so a state folded from a write that later rolled back is thrown away.
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
