import { toClientConnectionString } from './eventstoredb-connection';
import { EventStoreDbEventStore, startedPastTheEnd } from './eventstoredb-event-store';

const page = (...revisions: number[]): { revision: bigint }[] =>
  revisions.map((revision) => ({ revision: BigInt(revision) }));

describe('EventStoreDbEventStore without a server', () => {
  describe('a backwards read from past the end', () => {
    it('is detected when the page is empty but the revision asked for is above 0', () => {
      expect(startedPastTheEnd([], 100, 10)).toBe(true);
      expect(startedPastTheEnd([], 0, 10)).toBe(false);
    });

    it('is detected when the page is short, starts below `from` and stops above 0', () => {
      expect(startedPastTheEnd(page(9, 8, 7, 6), 15, 10)).toBe(true);
    });

    it('is not assumed when the page starts at `from`, is full, or reaches 0', () => {
      expect(startedPastTheEnd(page(5, 4), 5, 10)).toBe(false);
      expect(startedPastTheEnd(page(9, 8), 15, 2)).toBe(false);
      expect(startedPastTheEnd(page(2, 1, 0), 15, 10)).toBe(false);
    });
  });

  it.each([
    ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['kurrentdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['kurrent://a:2113,b:2113?tls=false', 'esdb://a:2113,b:2113?tls=false'],
    ['kurrentdb+discover://cluster:2113', 'esdb+discover://cluster:2113'],
    ['  esdb+discover://cluster:2113 ', 'esdb+discover://cluster:2113'],
  ])('reads the connection string %p as %p', (given, expected) => {
    expect(toClientConnectionString(given)).toBe(expected);
  });

  it('connects lazily, so it can be built and closed with no server', async () => {
    const store = new EventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });

    await expect(store.close()).resolves.toBeUndefined();
  });

  it('compares its own positions and refuses foreign ones', () => {
    const store = new EventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });

    expect(store.comparePositions('5:5', '5:6')).toBeLessThan(0);
    expect(() => store.comparePositions('5-5', 'start')).toThrow(
      expect.objectContaining({ code: 'validation' }),
    );
  });

  it('validates an append exactly like the PostgreSQL adapter, before any I/O', async () => {
    const store = new EventStoreDbEventStore({ connectionString: 'esdb://127.0.0.1:1?tls=false' });

    await expect(
      store.append('Not A Stream', [], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({
      name: 'InvalidEventError',
      fieldErrors: [{ field: 'streamId' }],
    });
    await expect(store.append('incident-1', [], { expectedRevision: 'any' })).rejects.toMatchObject(
      {
        fieldErrors: [{ field: 'events' }],
      },
    );
    await store.close();
  });
});
