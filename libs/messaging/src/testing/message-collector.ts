import { randomUUID } from 'node:crypto';

import { HandleOutcome, IncomingMessage, OutgoingMessage } from '../message-bus.port';

/** A topic or group name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** `count` messages whose values are `<prefix>-0`, `<prefix>-1`, ... */
export function numbered(
  count: number,
  key: (index: number) => string,
  prefix = 'm',
): OutgoingMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    key: key(index),
    value: `${prefix}-${index}`,
  }));
}

export async function eventually(
  predicate: () => boolean,
  what: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Records what a subscriber was handed, and answers with a chosen outcome. */
export class MessageCollector {
  readonly messages: IncomingMessage[] = [];

  constructor(
    private readonly decide: (message: IncomingMessage) => Promise<HandleOutcome> = async () =>
      'done',
  ) {}

  readonly handle = async (message: IncomingMessage): Promise<HandleOutcome> => {
    this.messages.push(message);
    return this.decide(message);
  };

  values(): string[] {
    return this.messages.map((message) => message.value.toString('utf8'));
  }

  async untilCount(count: number, timeoutMs?: number): Promise<void> {
    const what = (): string => `${count} messages; got ${JSON.stringify(this.values())}`;
    await eventually(() => this.messages.length >= count, what, timeoutMs);
  }
}

/** Records the batches a batch handler was handed, and answers with a chosen outcome. */
export class BatchCollector {
  readonly batches: IncomingMessage[][] = [];

  constructor(
    private readonly decide: (batch: IncomingMessage[]) => Promise<HandleOutcome> = async () =>
      'done',
  ) {}

  readonly handleBatch = async (batch: IncomingMessage[]): Promise<HandleOutcome> => {
    this.batches.push(batch);
    return this.decide(batch);
  };

  /** Every message handed over, batch after batch. */
  get messages(): IncomingMessage[] {
    return this.batches.flat();
  }

  values(): string[] {
    return this.messages.map((message) => message.value.toString('utf8'));
  }

  async untilCount(count: number, timeoutMs?: number): Promise<void> {
    const what = (): string => `${count} messages; got ${JSON.stringify(this.values())}`;
    await eventually(() => this.messages.length >= count, what, timeoutMs);
  }
}
