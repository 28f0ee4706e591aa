export { decodeCursor, encodeCursor, toPage } from '@observe/http';
export type { ListPage as Page, PageKey } from '@observe/http';
