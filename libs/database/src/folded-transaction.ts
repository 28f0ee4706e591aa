import { escapeLiteral } from 'pg';
import { DataSource, QueryRunner } from 'typeorm';

export type SqlValue = string | number | boolean | null | undefined;
export type SqlRow = Record<string, unknown>;

export interface SqlStatement {
  sql: string;
  values: SqlValue[];
}

/**
 * The two statements a folded transaction sends with BEGIN and COMMIT. Each
 * goes out in one round trip over the simple protocol, so its values are
 * written into it as quoted literals (never concatenated by callers).
 */
export interface FoldedStatements {
  /** The transaction's first statement, with BEGIN before it. */
  first(sql: string, values: SqlValue[]): Promise<SqlRow[]>;
  /** The transaction's last statement, with COMMIT after it; nothing may follow. */
  last(sql: string, values: SqlValue[]): Promise<SqlRow[]>;
  /** The whole transaction at once: BEGIN, each statement in order, COMMIT. */
  all(statements: SqlStatement[]): Promise<void>;
}

interface SimpleQueryResult {
  rows: SqlRow[];
}

interface SimpleQueryClient {
  query(sql: string): Promise<SimpleQueryResult | SimpleQueryResult[]>;
}

/**
 * A transaction on one pooled connection whose BEGIN and COMMIT ride on its
 * first and last statements. Any other statement run through the runner
 * before `first` opens the transaction the usual way, so work that does
 * not know about folding still runs inside it.
 */
export class FoldedTransaction implements FoldedStatements {
  private begun = false;
  private ended = false;

  private constructor(
    readonly runner: QueryRunner,
    private readonly client: SimpleQueryClient,
  ) {}

  static async open(runner: QueryRunner): Promise<FoldedTransaction> {
    const client = (await runner.connect()) as SimpleQueryClient;
    const transaction = new FoldedTransaction(runner, client);

    const plainQuery = runner.query.bind(runner);
    runner.query = async (...args: Parameters<QueryRunner['query']>) => {
      await transaction.begin();
      return plainQuery(...args);
    };
    return transaction;
  }

  async first(sql: string, values: SqlValue[]): Promise<SqlRow[]> {
    if (this.begun) return this.runner.query(sql, values);

    this.begun = true;
    const results = await this.client.query(`BEGIN; ${inlineValues(sql, values)}`);
    return resultsOf(results)[1].rows;
  }

  async last(sql: string, values: SqlValue[]): Promise<SqlRow[]> {
    await this.begin();
    // On a failure PostgreSQL skips the COMMIT and the transaction stays
    // open (aborted) until `end` rolls it back.
    const results = await this.client.query(`${inlineValues(sql, values)}; COMMIT`);
    this.ended = true;
    return resultsOf(results)[0].rows;
  }

  /** Nothing may run in the transaction before or after these statements. */
  async all(statements: SqlStatement[]): Promise<void> {
    if (this.begun) throw new Error('the transaction already began');

    this.begun = true;
    const body = statements.map((statement) => inlineValues(statement.sql, statement.values));
    await this.client.query(`BEGIN; ${body.join('; ')}; COMMIT`);
    this.ended = true;
  }

  /** Commits what is still open (the work never called `last`), or rolls back on failure. */
  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    if (!this.begun || this.ended) return;

    this.ended = true;
    await this.client.query(outcome === 'commit' ? 'COMMIT' : 'ROLLBACK');
  }

  private async begin(): Promise<void> {
    if (this.begun) return;

    this.begun = true;
    await this.client.query('BEGIN');
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

function resultsOf(results: SimpleQueryResult | SimpleQueryResult[]): SimpleQueryResult[] {
  return Array.isArray(results) ? results : [results];
}

/**
 * Replaces $1, $2, ... with the values as SQL literals. Every $n in the text
 * counts as a placeholder, so the SQL given must not hold one in a literal.
 */
export function inlineValues(sql: string, values: SqlValue[]): string {
  return sql.replace(/\$(\d+)/g, (placeholder, index: string) => {
    const position = Number(index) - 1;
    if (position >= values.length) throw new Error(`no value for ${placeholder}`);
    return literal(values[position]);
  });
}

function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  return escapeLiteral(value);
}
