import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

import { decodeCursor as decodeKeysetCursor, PageKey } from '@observe/http';

export { encodeCursor, toPage } from '@observe/http';
export type { ListPage, PageKey } from '@observe/http';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

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

/** Every list here sorts by a time, so a cursor's sort value must be one. */
export function decodeCursor(cursor: string | undefined): PageKey | undefined {
  return decodeKeysetCursor(cursor, { sortIsTime: true });
}
