import { randomUUID } from 'node:crypto';

import { ManualClock } from '@observe/core';

import { createTestDatabase } from '../../../test/support/test-database';
import {
  openPostgresTestStore,
  PostgresTestStore,
} from '../../event-store/src/testing/postgres-test-store';
import { AggregateRepository } from './aggregate-repository';
import { CommandContexts } from './command-context';
import { Decider, DomainEvent } from './decider';

type CounterEvent = DomainEvent<'Counted', { by: number }>;
/** Never below zero (refused); from the ceiling on, counting up writes nothing. */
const CEILING = 10;
const counter: Decider<{ total: number }, { by: number }, CounterEvent> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command, state) => {
    if (state.total + command.by < 0) throw new Error('below zero');
    if (command.by > 0 && state.total >= CEILING) return [];
    return [{ type: 'Counted', data: { by: command.by } }];
  },
};

describe('AggregateRepository', () => {
  let subject: PostgresTestStore;
  let repository: AggregateRepository;

  beforeAll(async () => {
    subject = await openPostgresTestStore(await createTestDatabase('aggregates'));
    repository = new AggregateRepository(subject.store, subject.transactions, new ManualClock());
  });

  afterAll(async () => {
    await subject.close();
  });

  const inContext = <T>(work: () => Promise<T>) =>
    CommandContexts.run(CommandContexts.system('test'), work);

  it('folds every event, also when later loads start from a remembered state', async () => {
    const stream = `counter-${randomUUID()}`;

    for (let by = 1; by <= 4; by += 1) {
      await inContext(() => repository.handle(stream, counter, { by }));
    }
    const loaded = await repository.load(stream, counter);

    expect(loaded).toEqual({ state: { total: 10 }, revision: 3 });
  });

  it('forgets a state folded from a write that rolled back', async () => {
    const stream = `counter-${randomUUID()}`;
    await inContext(() => repository.handle(stream, counter, { by: 1 }));

    await expect(
      subject.transactions.run(() =>
        inContext(async () => {
          await repository.handle(stream, counter, { by: 100 });
          await repository.load(stream, counter);
          throw new Error('the request failed');
        }),
      ),
    ).rejects.toThrow('the request failed');
    await inContext(() => repository.handle(stream, counter, { by: 2 }));

    expect(await repository.load(stream, counter)).toEqual({ state: { total: 3 }, revision: 1 });
  });

  it('lands two commands on one stream in one transaction, each on the state before it', async () => {
    const stream = `counter-${randomUUID()}`;
    await inContext(() => repository.handle(stream, counter, { by: 1 }));
    const keyed = { ...CommandContexts.system('test'), idempotencyKey: `key-${randomUUID()}` };

    await subject.transactions.run(() =>
      CommandContexts.run(keyed, async () => {
        await repository.handle(stream, counter, { by: 2 });
        await repository.handle(stream, counter, { by: 3 });
      }),
    );

    expect(await repository.load(stream, counter)).toEqual({ state: { total: 6 }, revision: 2 });
  });

  describe('beside another process writing the same stream', () => {
    let other: AggregateRepository;

    beforeAll(() => {
      other = new AggregateRepository(subject.store, subject.transactions, new ManualClock());
    });

    it('decides again on the stored state when its cached state is behind', async () => {
      const stream = `counter-${randomUUID()}`;
      await inContext(() => repository.handle(stream, counter, { by: 1 }));
      await inContext(() => other.handle(stream, counter, { by: 2 }));

      const handled = await inContext(() => repository.handle(stream, counter, { by: 3 }));

      expect(handled.state).toEqual({ total: 6 });
      expect(await other.load(stream, counter)).toEqual({ state: { total: 6 }, revision: 2 });
    });

    it('believes a refusal or a no-op only once the stored state says so', async () => {
      const refused = `counter-${randomUUID()}`;
      await inContext(() => repository.handle(refused, counter, { by: 2 }));
      await inContext(() => other.handle(refused, counter, { by: 5 }));
      // Cached: 2, so -4 looks below zero; stored: 7, so it is allowed.
      const counted = await inContext(() => repository.handle(refused, counter, { by: -4 }));
      expect(counted.state).toEqual({ total: 3 });

      const idle = `counter-${randomUUID()}`;
      await inContext(() => repository.handle(idle, counter, { by: 10 }));
      await inContext(() => other.handle(idle, counter, { by: -1 }));
      // Cached: at the ceiling, so nothing to write; stored: 9, so +1 counts.
      const written = await inContext(() => repository.handle(idle, counter, { by: 1 }));
      expect(written.result).toBeDefined();
      expect(await other.load(idle, counter)).toEqual({ state: { total: 10 }, revision: 2 });
    });
  });
});
