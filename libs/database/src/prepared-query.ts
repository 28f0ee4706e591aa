import { Query } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

interface NamedStatementPool {
  query(statement: Query): Promise<{ rows: unknown[] }>;
}

/**
 * The driver's statement for a text and its values, under `name` when each
 * connection is to parse and plan it once. Built from the text rather than
 * from a config object, which the driver would copy descriptor by descriptor
 * on every call.
 */
export function driverStatement(text: string, values: unknown[], name?: string): Query {
  const statement = new Query(text, values) as Query & { name?: string };
  if (name) statement.name = name;
  return statement;
}

/**
 * Runs a statement that each pooled connection parses and plans once, under
 * `name`, and then only executes. For the statements workers send with every
 * batch, whose parsing and planning cost the server more than running them.
 * Outside any ambient transaction; a name must always go with the same text.
 */
export async function preparedQuery<T>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as PostgresDriver).master as NamedStatementPool;
  const result = await pool.query(driverStatement(text, values, name));
  return result.rows as T[];
}
