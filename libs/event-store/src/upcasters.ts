import { EventData, RecordedEvent } from './event-envelope';

/** Lifts one event type from `fromVersion` to `fromVersion + 1`. */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: EventData): EventData;
}

/**
 * Old schema versions are upcast on read, one version at a time, so stored
 * events are never rewritten and readers only know the newest shape.
 */
export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();

  register(...upcasters: Upcaster[]): this {
    for (const upcaster of upcasters) {
      const key = `${upcaster.type}@${upcaster.fromVersion}`;
      if (this.byKey.has(key)) throw new Error(`two upcasters for ${key}`);
      this.byKey.set(key, upcaster);
    }
    return this;
  }

  apply(event: RecordedEvent): RecordedEvent {
    let current = event;
    for (;;) {
      const upcaster = this.byKey.get(`${current.type}@${current.schemaVersion}`);
      if (!upcaster) return current;
      current = {
        ...current,
        schemaVersion: current.schemaVersion + 1,
        data: upcaster.upcast(current.data),
      };
    }
  }
}
