import type { Client } from 'pg';
import DriverResult from 'pg/lib/result';
import { prepareValue } from 'pg/lib/utils';

export type SqlRow = Record<string, unknown>;

/** A statement of a batch; a named one is parsed and planned once per connection. */
export interface BatchStatement {
  sql: string;
  values: unknown[];
  name?: string;
}

export interface StatementResult {
  command: string;
  rows: SqlRow[];
  rowCount: number | null;
}

/** The protocol writer of a node-postgres connection. */
interface Connection {
  stream: { cork(): void; uncork(): void };
  parse(message: { text: string; name: string }): void;
  bind(message: { statement: string; values: unknown[] }): void;
  describe(message: { type: 'P'; name: string }): void;
  execute(message: { portal: string }): void;
  close(message: { type: 'S'; name: string }): void;
  sync(): void;
}

/**
 * The named statements a connection holds. After a failure, the statement
 * that failed may or may not have been parsed: it is closed before its next
 * parse (closing a name the server lacks is no error).
 */
interface NamedStatements {
  held: Set<string>;
  unsure: Set<string>;
}
const namedStatements = new WeakMap<Connection, NamedStatements>();

/**
 * Statements written at once, ended by a single Sync: PostgreSQL runs them in
 * order, answers with one flush, and after a failure skips the rest up to
 * the Sync. Inside an explicit transaction a failure leaves it aborted, so
 * the caller rolls back; a COMMIT after the failure never runs.
 *
 * One driver query for the whole batch, instead of one per statement each
 * with its own Sync, result and promise.
 */
class StatementBatch {
  callback?: (error: Error | undefined, results?: StatementResult[]) => void;
  private readonly results: DriverResult[] = [];
  private connection?: Connection;
  private answered = 0;
  private done = false;

  constructor(private readonly statements: BatchStatement[]) {}

  submit(connection: Connection): Error | undefined {
    // Encoded before anything is written: a value that cannot be sent fails
    // the batch while the connection has seen none of it.
    let encoded: unknown[][];
    try {
      encoded = this.statements.map((statement) => statement.values.map(prepareValue));
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }

    const names = namesOf(connection);
    // A statement may come more than once in a batch: it is parsed the first time.
    const parsedHere = new Set<string>();
    connection.stream.cork();
    try {
      this.statements.forEach((statement, index) => {
        const name = statement.name ?? '';
        if (!name || !(names.held.has(name) || parsedHere.has(name))) {
          if (names.unsure.has(name)) connection.close({ type: 'S', name });
          connection.parse({ text: statement.sql, name });
          if (name) parsedHere.add(name);
        }
        connection.bind({ statement: name, values: encoded[index] });
        connection.describe({ type: 'P', name: '' });
        connection.execute({ portal: '' });
      });
      connection.sync();
    } finally {
      connection.stream.uncork();
    }
    this.connection = connection;
    return undefined;
  }

  handleRowDescription(message: { fields: unknown[] }): void {
    this.current().addFields(message.fields);
  }

  handleDataRow(message: { fields: unknown[] }): void {
    const result = this.current();
    result.addRow(result.parseRow(message.fields));
  }

  handleCommandComplete(message: unknown): void {
    this.current().addCommandComplete(message);
    this.answered += 1;
  }

  handleEmptyQuery(): void {
    this.current();
    this.answered += 1;
  }

  handlePortalSuspended(): void {
    // Every statement runs to its end (no row limit), so no portal is suspended.
  }

  handleCopyInResponse(): void {
    this.handleError(new Error('COPY is not supported in a statement batch'));
  }

  handleCopyData(): void {
    // Never asked for.
  }

  /** The driver stops routing this batch's answers after an error: it ends here. */
  handleError(error: Error): void {
    if (this.connection) this.remember(this.connection, this.answered);
    this.finish(error);
  }

  handleReadyForQuery(): void {
    if (this.connection) this.remember(this.connection, this.statements.length);
    this.finish(undefined);
  }

  private current(): DriverResult {
    let result = this.results[this.answered];
    if (!result) {
      result = new DriverResult();
      this.results[this.answered] = result;
    }
    return result;
  }

  /** The statements before `answered` were parsed; the one that failed may have been. */
  private remember(connection: Connection, answered: number): void {
    const names = namesOf(connection);
    this.statements.forEach((statement, index) => {
      if (!statement.name || names.held.has(statement.name)) return;
      if (index < answered) {
        names.held.add(statement.name);
        names.unsure.delete(statement.name);
      } else if (index === answered) {
        names.unsure.add(statement.name);
      }
    });
  }

  private finish(error: Error | undefined): void {
    if (this.done) return;
    this.done = true;
    if (error) this.callback?.(error);
    else
      this.callback?.(
        undefined,
        this.statements.map((_, index) => this.resultAt(index)),
      );
  }

  private resultAt(index: number): StatementResult {
    const result = this.results[index] ?? new DriverResult();
    return { command: result.command, rows: result.rows, rowCount: result.rowCount };
  }
}

function namesOf(connection: Connection): NamedStatements {
  let names = namedStatements.get(connection);
  if (!names) {
    names = { held: new Set(), unsure: new Set() };
    namedStatements.set(connection, names);
  }
  return names;
}

/** Runs the statements as one batch on a client this caller holds; fails with the first error. */
export function runBatch(client: Client, statements: BatchStatement[]): Promise<StatementResult[]> {
  return new Promise((resolve, reject) => {
    const batch = new StatementBatch(statements);
    batch.callback = (error, results) => (error ? reject(error) : resolve(results ?? []));
    client.query(batch as never);
  });
}
