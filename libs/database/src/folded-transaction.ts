import { DataSource, QueryFailedError, QueryRunner } from 'typeorm';

type SqlScalar = string | number | boolean | null | undefined;
/** What can be written into a statement as a literal: a scalar or a list of them. */
export type SqlValue = SqlScalar | SqlScalar[];
export type SqlRow = Record<string, unknown>;

export interface SqlStatement {
  sql: string;
  values: SqlValue[];
}

/**
 * The statements a folded transaction sends with BEGIN and COMMIT. Each goes
 * out in one round trip over the simple protocol, so its values are written
 * into it as quoted literals (never concatenated by callers).
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

interface SimpleQueryResult {
  command: string;
  rows: SqlRow[];
  rowCount: number | null;
}

type RunnerQuery = (sql: string, values?: unknown[], structured?: boolean) => Promise<unknown>;

interface SimpleQueryClient {
  query(sql: string): Promise<SimpleQueryResult | SimpleQueryResult[]>;
}

/**
 * A transaction on one pooled connection whose BEGIN and COMMIT ride on its
 * first and last statements. Any other statement run through the runner
 * before `first` opens the transaction: it carries BEGIN and the opening
 * statement with it when its values can be written as literals, else they go
 * ahead of it. So work that does not know about folding still runs inside.
 */
export class FoldedTransaction implements FoldedStatements {
  private begun = false;
  private ended = false;
  private opening?: string;
  /** The first failure: PostgreSQL runs nothing more in the transaction, so it is rethrown. */
  private failure?: { error: unknown };

  private constructor(
    readonly runner: QueryRunner,
    private readonly client: SimpleQueryClient,
  ) {}

  static async open(runner: QueryRunner): Promise<FoldedTransaction> {
    const client = (await runner.connect()) as SimpleQueryClient;
    const transaction = new FoldedTransaction(runner, client);

    const plainQuery = runner.query.bind(runner) as RunnerQuery;
    const query: RunnerQuery = async (sql, values = [], structured) => {
      if (!transaction.begun && !structured && values.every(isSqlValue)) {
        return transaction.sendWithOpening(sql, values);
      }
      await transaction.begin();
      return transaction.watch(() => plainQuery(sql, values, structured));
    };
    runner.query = query as QueryRunner['query'];
    return transaction;
  }

  openWith(sql: string, values: SqlValue[]): void {
    if (this.begun || this.opening) throw new Error('the transaction already has its opening');

    this.opening = inlineValues(sql, values);
  }

  async first(sql: string, values: SqlValue[]): Promise<SqlRow[]> {
    if (this.begun) return this.runner.query(sql, values);

    const opening = this.takeOpening();
    const results = await this.send([...opening, inlineValues(sql, values)]);
    return results[opening.length].rows;
  }

  async last(sql: string, values: SqlValue[]): Promise<SqlRow[]> {
    const opening = this.takeOpening();
    // On a failure PostgreSQL skips the COMMIT and the transaction stays
    // open (aborted) until `end` rolls it back.
    const results = await this.send([...opening, inlineValues(sql, values), 'COMMIT']);
    this.ended = true;
    return results[opening.length].rows;
  }

  /** Nothing may run in the transaction before or after these statements. */
  async all(statements: SqlStatement[]): Promise<void> {
    if (this.begun) throw new Error('the transaction already began');

    const body = statements.map((statement) => inlineValues(statement.sql, statement.values));
    await this.send([...this.takeOpening(), ...body, 'COMMIT']);
    this.ended = true;
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
    // Failing, the COMMIT is skipped and the transaction waits for the rollback.
    await this.send([...this.takeOpening(), 'COMMIT']);
    this.ended = true;
  }

  private async begin(): Promise<void> {
    if (this.begun) return;

    await this.send(this.takeOpening());
  }

  /** A statement of the work that opens the transaction, in one round trip with its opening. */
  private async sendWithOpening(sql: string, values: SqlValue[]): Promise<unknown> {
    const opening = this.takeOpening();
    const statement = inlineValues(sql, values);
    try {
      const results = await this.send([...opening, statement]);
      return asRunnerResult(results[opening.length]);
    } catch (error) {
      // As the runner would have failed, so callers that look into driver errors still can.
      if (error instanceof QueryFailedError || !(error instanceof Error)) throw error;
      throw new QueryFailedError(sql, values, error);
    }
  }

  /** Sends statements in one round trip, unless an earlier one already failed. */
  private send(statements: string[]): Promise<SimpleQueryResult[]> {
    return this.watch(async () => resultsOf(await this.client.query(statements.join('; '))));
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
  private takeOpening(): string[] {
    if (this.begun) return [];

    this.begun = true;
    const opening = this.opening;
    this.opening = undefined;
    return opening ? ['BEGIN', opening] : ['BEGIN'];
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

/** What TypeORM's PostgreSQL runner answers for a query: rows, with the count for changes. */
function asRunnerResult(result: SimpleQueryResult): unknown {
  return result.command === 'UPDATE' || result.command === 'DELETE'
    ? [result.rows, result.rowCount]
    : result.rows;
}

/**
 * Replaces $1, $2, ... with the values as SQL literals. Every $n in the text
 * counts as a placeholder, so the SQL given must not hold one in a literal.
 */
export function inlineValues(sql: string, values: SqlValue[]): string {
  // Without values the driver sends the text as it is, whatever `$` it holds.
  if (values.length === 0) return sql;

  return sql.replace(/\$(\d+)/g, (placeholder, index: string) => {
    const position = Number(index) - 1;
    if (position >= values.length) throw new Error(`no value for ${placeholder}`);
    return literal(values[position]);
  });
}

function isSqlValue(value: unknown): value is SqlValue {
  return Array.isArray(value) ? value.every(isScalar) : isScalar(value);
}

function isScalar(value: unknown): value is SqlScalar {
  const type = typeof value;
  return value == null || type === 'string' || type === 'number' || type === 'boolean';
}

function literal(value: SqlValue): string {
  if (Array.isArray(value)) return quoteText(arrayText(value));
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // In brackets, a negative number after a minus sign cannot turn into a comment (`1--5`).
  if (typeof value === 'number') return value < 0 ? `(${numberText(value)})` : numberText(value);
  return quoteText(value);
}

/**
 * A string constant that reads back as `text` whatever standard_conforming_strings
 * says: with a backslash, an escape string whose backslashes are doubled. Whole-
 * string replaces, as a request's JSON bodies pass through here.
 */
function quoteText(text: string): string {
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/** PostgreSQL's text form of a one-dimensional array: `{"a",NULL,"b \\"c\\""}`. */
function arrayText(values: SqlScalar[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = typeof value === 'number' ? numberText(value) : String(value);
    return `"${text.replace(/[\\"]/g, (special) => `\\${special}`)}"`;
  });
  return `{${elements.join(',')}}`;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}
