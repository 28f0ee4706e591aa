import { ValidationError } from '@observe/core';

import { decodeCursor, encodeCursor, toPage } from './list-page';
import { SqlConditions } from './sql-conditions';

describe('list pages', () => {
  const rows = ['a', 'b', 'c'].map((id, index) => ({ id, at: `2026-03-0${index + 1}T00:00:00Z` }));
  const keyOf = (row: { id: string; at: string }) => ({ sort: row.at, id: row.id });

  it('cuts the extra row off and points the cursor at the last one kept', () => {
    const page = toPage(rows, 2, keyOf, (row) => row.id);

    expect(page.data).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor ?? undefined)).toEqual({ sort: rows[1].at, id: 'b' });
  });

  it('has no cursor on the last page', () => {
    expect(toPage(rows, 3, keyOf, (row) => row.id).nextCursor).toBeNull();
  });

  it.each(['not-base64!', encodeCursor({ sort: 'yesterday', id: 'x' }), 'WzFd'])(
    'refuses a cursor it did not give out: %s',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(ValidationError);
    },
  );
});

describe('SqlConditions', () => {
  it('numbers each condition’s parameters after those before it', () => {
    const sql = new SqlConditions();

    sql.add('service = ?1', 'checkout').add('(at, id) < (?1, ?2)', '2026-03-01', 'x');
    const limit = sql.param(51);

    expect(sql.where()).toBe('WHERE service = $1 AND (at, id) < ($2, $3)');
    expect(limit).toBe('$4');
    expect(sql.params).toEqual(['checkout', '2026-03-01', 'x', 51]);
  });

  it('is empty without conditions', () => {
    expect(new SqlConditions().where()).toBe('');
  });
});
