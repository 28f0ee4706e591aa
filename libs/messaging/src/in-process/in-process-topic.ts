import { CORRELATION_ID_HEADER, IncomingMessage, OutgoingMessage } from '../message-bus.port';

interface StoredMessage {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: Date;
}

/** Resolves every waiter on the next notify(): "something changed, look again". */
export class Signal {
  private waiters: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** One partition's messages from `baseOffset` on; older ones are trimmed. */
export class PartitionLog {
  private baseOffset = 0;
  private entries: StoredMessage[] = [];

  get start(): number {
    return this.baseOffset;
  }

  get end(): number {
    return this.baseOffset + this.entries.length;
  }

  append(message: OutgoingMessage): void {
    // A copy: the publisher may reuse its buffer, as it may after a broker's ack.
    const value =
      typeof message.value === 'string'
        ? Buffer.from(message.value, 'utf8')
        : Buffer.from(message.value);
    this.entries.push({
      key: message.key,
      value,
      headers: { ...message.headers },
      timestamp: new Date(),
    });
  }

  /** Up to `max` consecutive messages from `offset` on; none when it is past the end. */
  readFrom(
    topic: string,
    partition: number,
    offset: number,
    max: number,
  ): Array<Omit<IncomingMessage, 'attempt'>> {
    const from = Math.max(offset - this.baseOffset, 0);
    const entries = this.entries.slice(from, from + max);
    return entries.map((entry, index) => {
      const headers = { ...entry.headers };
      return {
        topic,
        partition,
        offset: String(this.baseOffset + from + index),
        key: entry.key,
        value: Buffer.from(entry.value),
        headers,
        correlationId: headers[CORRELATION_ID_HEADER],
        timestamp: entry.timestamp,
      };
    });
  }

  /** Drops messages below `offset`; answers how many went. */
  trimBelow(offset: number): number {
    const count = Math.min(Math.max(offset - this.baseOffset, 0), this.entries.length);
    if (count === 0) return 0;
    this.entries = this.entries.slice(count);
    this.baseOffset += count;
    return count;
  }
}

export class InProcessTopic {
  readonly partitions: PartitionLog[];
  /** Notified on every append and membership change of any of the topic's groups. */
  readonly changed = new Signal();

  constructor(
    readonly name: string,
    partitionCount: number,
  ) {
    this.partitions = Array.from({ length: partitionCount }, () => new PartitionLog());
  }

  /** A stable key-to-partition map, so one key's messages stay in order. */
  partitionOf(key: string): number {
    // FNV-1a: cheap, stable across runs, spreads short keys well.
    let hash = 0x811c9dc5;
    for (let index = 0; index < key.length; index += 1) {
      hash ^= key.charCodeAt(index);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % this.partitions.length;
  }
}
