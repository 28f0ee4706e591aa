import { RecordedEvent } from './event-envelope';
import { GlobalCheckpoint, ReadAllResult, SubscriptionBatch } from './event-store.port';
import { AppendSignal, PollingSource, startPollingSubscription } from './polling-subscription';
import { recordedTestEvent } from './testing/event-factory';

/**
 * A store where appended events can stay hidden from reads, as the PostgreSQL
 * store hides them while an older transaction is still open.
 */
class ShadowedStore implements PollingSource {
  readonly appends = new AppendSignal();
  readonly events: RecordedEvent[] = [];
  visibleCount = 0;
  reads = 0;

  async readAll(options: { after: GlobalCheckpoint; maxCount: number }): Promise<ReadAllResult> {
    this.reads += 1;
    const from = options.after === 'start' ? 0 : Number(options.after);
    const events = this.events.slice(from, this.visibleCount).slice(0, options.maxCount);
    const checkpoint = events.length ? events[events.length - 1].position : options.after;
    return { events, checkpoint, isEnd: from + events.length >= this.visibleCount };
  }

  append(visible: boolean): void {
    const sequence = this.events.length + 1;
    this.events.push(recordedTestEvent(sequence, String(sequence)));
    if (visible) this.visibleCount = this.events.length;
    this.appends.notify();
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  while (!condition() && Date.now() - startedAt < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - startedAt;
}

describe('polling subscription', () => {
  let store: ShadowedStore;
  let received: SubscriptionBatch[];
  let caughtUp: boolean;
  let stop: () => Promise<void>;

  beforeEach(async () => {
    store = new ShadowedStore();
    received = [];
    caughtUp = false;
    const subscription = startPollingSubscription(store, {
      after: 'start',
      handle: async (batch) => {
        if (batch.events.length) received.push(batch);
      },
      onCaughtUp: () => (caughtUp = true),
    });
    stop = () => subscription.stop();
    await until(() => caughtUp, 1_000);
  });

  afterEach(() => stop());

  it('hands over an announced append at once', async () => {
    store.append(true);

    const waitedMs = await until(() => received.length > 0, 2_000);

    expect(received.flatMap((batch) => batch.events.map((e) => e.eventId))).toEqual(['e1']);
    expect(waitedMs).toBeLessThan(200);
  });

  it('looks again soon when an announced append is still hidden, not at the idle poll', async () => {
    store.append(false);
    await until(() => store.reads >= 2, 1_000);

    // The older transaction ends without announcing anything.
    store.visibleCount = store.events.length;
    const waitedMs = await until(() => received.length > 0, 2_000);

    expect(received[0]?.events.map((e) => e.eventId)).toEqual(['e1']);
    expect(waitedMs).toBeLessThan(300);
  });

  it('backs off to the idle poll while an append stays hidden', async () => {
    store.append(false);
    const readsBefore = store.reads;

    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // 20 ms growing by half each time reaches a second in about ten looks.
    const looks = store.reads - readsBefore;
    expect(looks).toBeGreaterThan(3);
    expect(looks).toBeLessThan(15);
  });

  it('polls once a second when nothing was announced', async () => {
    const readsBefore = store.reads;

    await new Promise((resolve) => setTimeout(resolve, 1_500));

    expect(store.reads - readsBefore).toBeLessThanOrEqual(2);
  });
});
