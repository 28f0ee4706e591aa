import { DataSource, EntityManager } from 'typeorm';

import { ContextSlot } from '@observe/core';

import { FoldedStatements, inFoldedTransaction } from './folded-transaction';

interface AmbientTransaction {
  manager: EntityManager;
  afterCommit: Array<() => void>;
}

/**
 * One ambient transaction per async call chain, so the event store, the
 * idempotency record and the quota counter of one request commit together.
 */
export class Transactions {
  private readonly ambient = new ContextSlot<AmbientTransaction>('transaction');

  constructor(readonly dataSource: DataSource) {}

  /** The manager of the ambient transaction, or the pool's when there is none. */
  current(): EntityManager {
    return this.ambient.get()?.manager ?? this.dataSource.manager;
  }

  inTransaction(): boolean {
    return this.ambient.get() !== undefined;
  }

  /** Runs `work` in the ambient transaction, opening one when there is none. */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const ambient = this.ambient.get();
    if (ambient) return work(ambient.manager);

    const afterCommit: Array<() => void> = [];
    const result = await this.dataSource.transaction((manager) =>
      this.ambient.run({ manager, afterCommit }, () => work(manager)),
    );
    for (const callback of afterCommit) callback();
    return result;
  }

  /**
   * Runs `work` in a new transaction whose first and last statements carry
   * BEGIN and COMMIT (see FoldedTransaction): two round trips fewer for a
   * short transaction whose ends are known, such as a guarded mutation.
   */
  async runFolded<T>(work: (statements: FoldedStatements) => Promise<T>): Promise<T> {
    if (this.ambient.get()) throw new Error('a folded transaction cannot run inside another');

    const afterCommit: Array<() => void> = [];
    const result = await inFoldedTransaction(this.dataSource, (transaction) =>
      this.ambient.run({ manager: transaction.runner.manager, afterCommit }, () =>
        work(transaction),
      ),
    );
    for (const callback of afterCommit) callback();
    return result;
  }

  /**
   * Runs `callback` once the ambient transaction has committed (never on
   * rollback), or at once when there is no ambient transaction.
   */
  afterCommit(callback: () => void): void {
    const ambient = this.ambient.get();
    if (ambient) ambient.afterCommit.push(callback);
    else callback();
  }

  /** Runs `work` outside any ambient transaction (its own autocommit statements). */
  detached<T>(work: () => Promise<T>): Promise<T> {
    return this.ambient.exit(work);
  }
}
