import { ValidationError } from '@observe/core';

/** A page of a list: `nextCursor` is null on the last page. */
export interface ListPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** Where a keyset page stopped: the value the list sorts by and the id that breaks ties. */
export interface PageKey {
  sort: string;
  id: string;
}

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.sort, key.id]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor this API gave out; anything else is a 400 naming the field.
 * Lists sorted by a time say so, and a cursor whose sort value is not one is refused.
 */
export function decodeCursor(
  cursor: string | undefined,
  options: { sortIsTime?: boolean } = {},
): PageKey | undefined {
  if (cursor === undefined) return undefined;

  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !(options.sortIsTime && Number.isNaN(Date.parse(parsed[0])))
    ) {
      return { sort: parsed[0], id: parsed[1] };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new ValidationError('cursor is not one this API gave out', [
    { field: 'cursor', message: 'invalid; pass nextCursor from the previous page as it is' },
  ]);
}

/** Cuts the `limit + 1` rows a keyset query fetched into a page, with a cursor when more follow. */
export function toPage<TRow, TView>(
  rows: TRow[],
  limit: number,
  keyOf: (row: TRow) => PageKey,
  view: (row: TRow) => TView,
): ListPage<TView> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(keyOf(last)) : null;
  return { data: page.map(view), nextCursor };
}
