import { Client } from 'pg';
import { DataSource, QueryFailedError, QueryRunner } from 'typeorm';

import { BatchStatement, runBatch, SqlRow, StatementResult } from './statement-batch';

type SqlScalar = string | number | boolean | null | undefined;
/** A statement's parameter: a scalar or a list of them (sent as an array). */
export type SqlValue = SqlScalar | SqlScalar[];
export type { SqlRow };

export interface SqlStatement {
  sql: string;
  values: SqlValue[];
}

/**
 * The statements a folded transaction sends with BEGIN and COMMIT. Those that
 * go out together are one batch (see statement-batch): written at once, each
 * with its parameters, so BEGIN or COMMIT costs no round trip of its own.
 */
export interface FoldedStatements {
  /**
   * The statement that opens the transaction, sent with BEGIN in front of the
   * next statement it runs (in the same round trip) instead of on its own. Its
   * rows are never read: it lets the transaction go on or raises.
   */
  openWith(sql: string, values: SqlValue[]): void;
  /** The transaction's first statement, with BEGIN before it. */
  first(sql: string, values: SqlValue[]): Promise<SqlRow[]>;
  /** The transaction's last statement, with COMMIT after it; nothing may follow. */
  last(sql: string, values: SqlValue[]): Promise<SqlRow[]>;
  /** The whole transaction at once: BEGIN, each statement in order, COMMIT. */
  all(statements: SqlStatement[]): Promise<void>;
}

type RunnerQuery = (sql: string, values?: unknown[], structured?: boolean) => Promise<unknown>;

const BEGIN: BatchStatement = { sql: 'BEGIN', values: [] };
const COMMIT: BatchStatement = { sql: 'COMMIT', values: [] };

/**
 * A transaction on one pooled connection whose BEGIN and COMMIT ride on its
 * first and last statements. Any other statement run through the runner
 * before `first` opens the transaction: BEGIN and the opening statement go
 * out with it. So work that does not know about folding still runs inside.
 */
export class FoldedTransaction implements FoldedStatements {
  private begun = false;
  private ended = false;
  private opening?: BatchStatement;
  /** The first failure: PostgreSQL runs nothing more in the transaction, so it is rethrown. */
  private failure?: { error: unknown };

  private constructor(
    readonly runner: QueryRunner,
    private readonly client: Client,
  ) {}

  static async open(runner: QueryRunner): Promise<FoldedTransaction> {
    const client = (await runner.connect()) as Client;
    const transaction = new FoldedTransaction(runner, client);

    const plainQuery = runner.query.bind(runner) as RunnerQuery;
    const query: RunnerQuery = async (sql, values = [], structured) => {
      if (!transaction.begun && !structured) {
        return transaction.sendWithOpening({ sql, values });
      }
      await transaction.begin();
      return transaction.watch(() => plainQuery(sql, values, structured));
    };
    runner.query = query as QueryRunner['query'];
    return transaction;
  }

  openWith(sql: string, values: SqlValue[]): void {
    if (this.begun || this.opening) throw new Error('the transaction already has its opening');

    this.opening = { sql, values };
  }

  async first(sql: string, values: SqlValue[]): Promise<SqlRow[]> {
    if (this.begun) return this.runner.query(sql, values);

    const opening = this.takeOpening();
    const results = await this.send([...opening, { sql, values }]);
    return results[opening.length].rows;
  }

  async last(sql: string, values: SqlValue[]): Promise<SqlRow[]> {
    const opening = this.takeOpening();
    const results = await this.send([...opening, { sql, values }, COMMIT]);
    return results[opening.length].rows;
  }

  /** Nothing may run in the transaction before or after these statements. */
  async all(statements: SqlStatement[]): Promise<void> {
    if (this.begun) throw new Error('the transaction already began');

    await this.send([...this.takeOpening(), ...statements, COMMIT]);
  }

  /** Commits what is still open (the work never called `last`), or rolls back on failure. */
  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    if (this.ended) return;
    // An opening that never went out still decides whether the work may commit.
    if (!this.begun && !(outcome === 'commit' && this.opening)) return;
    // A failed transaction cannot commit: PostgreSQL would roll it back and say nothing.
    if (outcome === 'commit' && this.failure) throw this.failure.error;

    if (outcome === 'rollback') {
      this.ended = true;
      await this.client.query('ROLLBACK');
      return;
    }
    await this.send([...this.takeOpening(), COMMIT]);
  }

  private async begin(): Promise<void> {
    if (this.begun) return;

    await this.send(this.takeOpening());
  }

  /** A statement of the work that opens the transaction, in one round trip with its opening. */
  private async sendWithOpening(statement: BatchStatement): Promise<unknown> {
    const opening = this.takeOpening();
    try {
      const results = await this.send([...opening, statement]);
      return asRunnerResult(results[opening.length]);
    } catch (error) {
      // As the runner would have failed, so callers that look into driver errors still can.
      if (error instanceof QueryFailedError || !(error instanceof Error)) throw error;
      throw new QueryFailedError(statement.sql, statement.values, error);
    }
  }

  /**
   * Sends statements in one round trip, unless an earlier one already failed.
   * After a failure PostgreSQL skips the rest, a COMMIT among them included:
   * the transaction stays open (aborted) until `end` rolls it back.
   */
  private send(statements: BatchStatement[]): Promise<StatementResult[]> {
    return this.watch(async () => {
      const results = await runBatch(this.client, statements.map(named));
      if (statements.at(-1) === COMMIT) this.ended = true;
      return results;
    });
  }

  private async watch<T>(work: () => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure.error;

    try {
      return await work();
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }

  /** BEGIN and the opening statement, once: what must precede the first statement. */
  private takeOpening(): BatchStatement[] {
    if (this.begun) return [];

    this.begun = true;
    const opening = this.opening;
    this.opening = undefined;
    return opening ? [BEGIN, opening] : [BEGIN];
  }
}

/**
 * Runs `work` in a folded transaction on a connection of its own: commits
 * what it leaves open, rolls back when it throws.
 */
export async function inFoldedTransaction<T>(
  dataSource: DataSource,
  work: (transaction: FoldedTransaction) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const transaction = await FoldedTransaction.open(runner);
    try {
      const result = await work(transaction);
      await transaction.end('commit');
      return result;
    } catch (error) {
      await transaction.end('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/**
 * Statements are few and fixed in code, so each text is parsed and planned
 * once per connection under a name; beyond this many texts, the rest are not
 * kept, so a caller that builds its SQL cannot fill the server with plans.
 */
const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

/** The statement under its name (any value the driver can send goes as a parameter). */
function named(statement: BatchStatement): BatchStatement {
  let name = statementNames.get(statement.sql);
  if (!name && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `folded_${statementNames.size + 1}`;
    statementNames.set(statement.sql, name);
  }
  return { sql: statement.sql, values: statement.values, name };
}

/** What TypeORM's PostgreSQL runner answers for a query: rows, with the count for changes. */
function asRunnerResult(result: StatementResult): unknown {
  return result.command === 'UPDATE' || result.command === 'DELETE'
    ? [result.rows, result.rowCount]
    : result.rows;
}
