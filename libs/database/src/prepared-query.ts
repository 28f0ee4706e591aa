import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

interface NamedStatementPool {
  query(statement: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
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
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}
