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
const counter: Decider<{ total: number }, { by: number }, CounterEvent> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  decide: (command) => [{ type: 'Counted', data: { by: command.by } }],
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

    for (let by = 1; by <= 5; by += 1) {
      await inContext(() => repository.handle(stream, counter, { by }));
    }
    const loaded = await repository.load(stream, counter);

    expect(loaded).toEqual({ state: { total: 15 }, revision: 4 });
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
});
