import { EntityManager } from 'typeorm';

import { decodeCursor as decodeKeysetCursor, ListPage, PageKey, toPage } from '@observe/http';

import { SqlConditions } from './sql-conditions';

export { encodeCursor, toPage } from '@observe/http';
export type { ListPage, PageKey } from '@observe/http';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Every list here sorts by a time, so a cursor's sort value must be one. */
export function decodeCursor(cursor: string | undefined): PageKey | undefined {
  return decodeKeysetCursor(cursor, { sortIsTime: true });
}

/**
 * One page of a table's rows, newest first, keyed on (created_at, id):
 * `conditions` holds the filters; the cursor and the limit are added here.
 */
export async function newestFirstPage<TRow extends { id: string; created_at: Date }, TView>(
  manager: EntityManager,
  table: string,
  conditions: SqlConditions,
  page: { limit: number; cursor?: string },
  toView: (row: TRow) => TView,
): Promise<ListPage<TView>> {
  const after = decodeCursor(page.cursor);
  if (after) conditions.add('(created_at, id) < (?1::timestamptz, ?2)', after.sort, after.id);
  const limit = conditions.param(page.limit + 1);

  const rows: TRow[] = await manager.query(
    `SELECT * FROM ${table} ${conditions.where()}
      ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
    conditions.params,
  );
  return toPage(
    rows,
    page.limit,
    (row) => ({ sort: row.created_at.toISOString(), id: row.id }),
    toView,
  );
}
