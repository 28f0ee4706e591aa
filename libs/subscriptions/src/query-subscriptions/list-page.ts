import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

import { ValidationError } from '@observe/core';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** A page of a list: `nextCursor` is null on the last page. */
export interface ListPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** Where a page stopped: the time the list sorts by and the id that breaks ties. */
export interface PageKey {
  at: string;
  id: string;
}

/** `?limit=&cursor=`, shared by the lists of this module. */
export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;
}

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): PageKey | undefined {
  if (cursor === undefined) return undefined;

  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0]))
    ) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // Refused below.
  }
  throw new ValidationError('cursor is not one this API gave out', [
    { field: 'cursor', message: 'invalid; pass nextCursor from the previous page as it is' },
  ]);
}

/** Cuts the `limit + 1` rows a keyset query fetched into a page. */
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
