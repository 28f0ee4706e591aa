import { AsyncLocalStorage } from 'node:async_hooks';

import { DataSource, EntityManager } from 'typeorm';

/**
 * One ambient transaction per async call chain, so the event store, the
 * idempotency record and the quota counter of one request commit together.
 */
export class Transactions {
  private readonly storage = new AsyncLocalStorage<EntityManager>();

  constructor(readonly dataSource: DataSource) {}

  /** The manager of the ambient transaction, or the pool's when there is none. */
  current(): EntityManager {
    return this.storage.getStore() ?? this.dataSource.manager;
  }

  inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /** Runs `work` in the ambient transaction, opening one when there is none. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const ambient = this.storage.getStore();
    if (ambient) return work(ambient);

    return this.dataSource.transaction((manager) => this.storage.run(manager, () => work(manager)));
  }

  /** Runs `work` outside any ambient transaction (its own autocommit statements). */
  detached<T>(work: () => Promise<T>): Promise<T> {
    return this.storage.exit(work);
  }
}
