import { decodeCursor as decodeKeysetCursor, PageKey } from '@observe/http';

export { encodeCursor, toPage } from '@observe/http';
export type { ListPage, PageKey } from '@observe/http';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Every list here sorts by a time, so a cursor's sort value must be one. */
export function decodeCursor(cursor: string | undefined): PageKey | undefined {
  return decodeKeysetCursor(cursor, { sortIsTime: true });
}
