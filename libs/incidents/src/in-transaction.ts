import { CommandContexts } from '@observe/commands';
import { DomainError } from '@observe/core';
import { Transactions } from '@observe/database';

const MAX_ATTEMPTS = 5;

/**
 * Runs work that must commit as one: inside a request it joins the request's
 * transaction (whose pipeline retries conflicts); called in-process, it opens
 * its own and retries a concurrency conflict from a fresh read.
 */
export async function inTransaction<T>(
  transactions: Transactions,
  work: () => Promise<T>,
): Promise<T> {
  if (transactions.inTransaction()) return work();

  const produced = CommandContexts.current()?.produced;
  const before = produced?.length ?? 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transactions.run(() => work());
    } catch (error) {
      // Events of a rolled-back attempt were never written: do not cite them.
      produced?.splice(before);
      const conflict = error instanceof DomainError && error.code === 'concurrency';
      if (!conflict || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
