import { Client } from 'pg';

import { createTestDatabase } from '../../../test/support/test-database';
import { runBatch } from './statement-batch';

describe('statement batches', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: await createTestDatabase('batch') });
    await client.connect();
    await client.query(`CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)`);
  });

  afterAll(async () => {
    await client.end();
  });

  beforeEach(async () => {
    await client.query(`TRUNCATE notes`);
  });

  const insert = (id: number, body: unknown) => ({
    sql: `INSERT INTO notes VALUES ($1, $2) RETURNING id, body`,
    values: [id, body],
    name: 'insert_note',
  });
  const stored = async () => (await client.query(`SELECT id FROM notes ORDER BY id`)).rows;

  it('answers each statement in order, with rows, command and count', async () => {
    const results = await runBatch(client, [
      { sql: 'BEGIN', values: [] },
      insert(1, 'one'),
      { sql: `UPDATE notes SET body = $1`, values: ['two'] },
      { sql: 'COMMIT', values: [] },
    ]);

    expect(results.map((result) => result.command)).toEqual([
      'BEGIN',
      'INSERT',
      'UPDATE',
      'COMMIT',
    ]);
    expect(results[1].rows).toEqual([{ id: 1, body: 'one' }]);
    expect(results[2].rowCount).toBe(1);
    expect(await stored()).toEqual([{ id: 1 }]);
  });

  it('runs a named statement that comes twice in its first batch', async () => {
    const twice = (id: number) => ({ ...insert(id, `twice ${id}`), name: 'twice_in_a_batch' });

    const results = await runBatch(client, [twice(1), twice(2)]);

    expect(results.map((result) => result.rows)).toEqual([
      [{ id: 1, body: 'twice 1' }],
      [{ id: 2, body: 'twice 2' }],
    ]);
  });

  it('fails with the first error and runs nothing after it, the COMMIT included', async () => {
    await client.query(`INSERT INTO notes VALUES (1, 'taken')`);

    const failed = runBatch(client, [
      { sql: 'BEGIN', values: [] },
      insert(2, 'before'),
      insert(1, 'clash'),
      insert(3, 'after'),
      { sql: 'COMMIT', values: [] },
    ]);

    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect(
      (await client.query(`SELECT 1 AS open`).catch((error: unknown) => error)) as object,
    ).toMatchObject({ code: '25P02' });
    await client.query('ROLLBACK');
    expect(await stored()).toEqual([{ id: 1 }]);
  });

  it('runs a named statement again after it failed, parsed or not', async () => {
    const firstUse = (id: number, body: string) => ({ ...insert(id, body), name: 'first_use' });
    await client.query(`INSERT INTO notes VALUES (1, 'taken')`);
    await expect(runBatch(client, [firstUse(1, 'clash')])).rejects.toMatchObject({ code: '23505' });
    await expect(
      runBatch(client, [{ sql: `SELECT nothing FROM nowhere`, values: [], name: 'broken' }]),
    ).rejects.toMatchObject({ code: '42P01' });

    const [again] = await runBatch(client, [firstUse(2, 'fine')]);

    expect(again.rows).toEqual([{ id: 2, body: 'fine' }]);
  });

  it('refuses a value it cannot send before writing anything, and the connection goes on', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    await expect(runBatch(client, [insert(1, 'sent'), insert(2, circular)])).rejects.toThrow(
      /circular/i,
    );

    expect(await stored()).toEqual([]);
    const [next] = await runBatch(client, [insert(3, 'next')]);
    expect(next.rows).toEqual([{ id: 3, body: 'next' }]);
  });
});
