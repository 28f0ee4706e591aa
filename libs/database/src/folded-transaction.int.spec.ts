import { DataSource } from 'typeorm';

import { createTestDatabase } from '../../../test/support/test-database';
import { createDataSource } from './database.module';
import { inlineValues } from './folded-transaction';
import { Transactions } from './transactions';

describe('folded transactions', () => {
  let dataSource: DataSource;
  let transactions: Transactions;

  beforeAll(async () => {
    dataSource = await createDataSource(await createTestDatabase('folded'), 5).initialize();
    await dataSource.query(`CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)`);
    transactions = new Transactions(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  const notes = async () =>
    (await dataSource.query(`SELECT id, body FROM notes ORDER BY id`)) as Array<{
      id: number;
      body: string;
    }>;

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE notes`);
  });

  it('commits the first, the middle and the last statement together', async () => {
    const committed: string[] = [];

    const answer = await transactions.runFolded(async (statements) => {
      const [first] = await statements.first(`INSERT INTO notes VALUES ($1, $2) RETURNING id`, [
        1,
        'first',
      ]);
      await transactions.current().query(`INSERT INTO notes VALUES ($1, $2)`, [2, 'middle']);
      transactions.afterCommit(() => committed.push('after commit'));
      await statements.last(`INSERT INTO notes VALUES ($1, $2)`, [3, 'last']);
      return first.id;
    });

    expect(answer).toBe(1);
    expect(await notes()).toEqual([
      { id: 1, body: 'first' },
      { id: 2, body: 'middle' },
      { id: 3, body: 'last' },
    ]);
    expect(committed).toEqual(['after commit']);
  });

  it('rolls everything back when the last statement fails, and runs no after-commit work', async () => {
    const committed: string[] = [];

    const failing = transactions.runFolded(async (statements) => {
      await statements.first(`INSERT INTO notes VALUES ($1, $2)`, [1, 'first']);
      transactions.afterCommit(() => committed.push('after commit'));
      await statements.last(`INSERT INTO notes VALUES ($1, $2)`, [1, 'duplicate key']);
    });

    await expect(failing).rejects.toThrow(/duplicate key/);
    expect(await notes()).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('rolls back when the work throws after the first statement', async () => {
    const failing = transactions.runFolded(async (statements) => {
      await statements.first(`INSERT INTO notes VALUES ($1, $2)`, [1, 'first']);
      throw new Error('the handler refused');
    });

    await expect(failing).rejects.toThrow('the handler refused');
    expect(await notes()).toEqual([]);
  });

  it('opens the transaction the usual way when other work runs before the first statement', async () => {
    await transactions.runFolded(async (statements) => {
      await transactions.current().query(`INSERT INTO notes VALUES ($1, $2)`, [1, 'early']);
      await statements.first(`INSERT INTO notes VALUES ($1, $2)`, [2, 'first']);
      // Without `last`, the transaction commits when the work returns.
    });
    const rolledBack = transactions.runFolded(async () => {
      await transactions.current().query(`INSERT INTO notes VALUES ($1, $2)`, [3, 'early']);
      throw new Error('refused');
    });

    await expect(rolledBack).rejects.toThrow('refused');
    expect(await notes()).toEqual([
      { id: 1, body: 'early' },
      { id: 2, body: 'first' },
    ]);
  });

  it('runs a transaction known up front in one go, all of it or none', async () => {
    await transactions.runFolded(async (statements) => {
      await statements.all([
        { sql: `INSERT INTO notes VALUES ($1, $2)`, values: [1, 'one'] },
        { sql: `INSERT INTO notes VALUES ($1, $2)`, values: [2, 'two'] },
      ]);
    });
    const failing = transactions.runFolded(async (statements) => {
      await statements.all([
        { sql: `INSERT INTO notes VALUES ($1, $2)`, values: [3, 'three'] },
        { sql: `INSERT INTO notes VALUES ($1, $2)`, values: [1, 'duplicate key'] },
      ]);
    });

    await expect(failing).rejects.toThrow(/duplicate key/);
    expect(await notes()).toEqual([
      { id: 1, body: 'one' },
      { id: 2, body: 'two' },
    ]);
  });

  it('stores any text exactly, quotes and backslashes included', async () => {
    const hostile = `it's \\'; DROP TABLE notes; -- \\\\ "quoted" $1 ünïcode`;

    await transactions.runFolded(async (statements) => {
      await statements.last(`INSERT INTO notes VALUES ($1, $2)`, [1, hostile]);
    });

    expect(await notes()).toEqual([{ id: 1, body: hostile }]);
  });

  it('writes values as literals and refuses what has no literal', () => {
    expect(inlineValues(`SELECT $1, $2, $3, $10`, [1, null, true, 4, 5, 6, 7, 8, 9, 'x'])).toBe(
      `SELECT 1, NULL, true, 'x'`,
    );
    expect(() => inlineValues(`SELECT $2`, [1])).toThrow('no value for $2');
    expect(() => inlineValues(`SELECT $1`, [Number.NaN])).toThrow('not a finite number');
  });
});
