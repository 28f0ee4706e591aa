import { DataSource } from 'typeorm';

import { createTestDatabase } from '../../../test/support/test-database';
import { createDataSource } from './database.module';
import { Transactions } from './transactions';

describe('folded transactions', () => {
  let dataSource: DataSource;
  let transactions: Transactions;

  beforeAll(async () => {
    dataSource = await createDataSource(await createTestDatabase('folded'), 5).initialize();
    await dataSource.query(`CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)`);
    await dataSource.query(
      `CREATE FUNCTION gate(open boolean) RETURNS void LANGUAGE plpgsql AS $$
       BEGIN
         IF NOT open THEN RAISE EXCEPTION 'the gate is shut' USING ERRCODE = 'GA001'; END IF;
       END $$`,
    );
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

  describe('an opening statement', () => {
    it('opens the transaction with the first statement of the work, whatever runs it', async () => {
      await transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [true]);
        await transactions.current().query(`INSERT INTO notes VALUES ($1, $2)`, [1, 'work']);
        await statements.last(`INSERT INTO notes VALUES ($1, $2)`, [2, 'last']);
      });

      expect(await notes()).toEqual([
        { id: 1, body: 'work' },
        { id: 2, body: 'last' },
      ]);
    });

    it('runs nothing after it when it raises, and the work fails with its error', async () => {
      let afterCommit = false;

      const refused = transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [false]);
        transactions.afterCommit(() => (afterCommit = true));
        await transactions.current().query(`INSERT INTO notes VALUES ($1, $2)`, [1, 'work']);
      });

      await expect(refused).rejects.toMatchObject({ code: 'GA001' });
      expect(await notes()).toEqual([]);
      expect(afterCommit).toBe(false);
    });

    it('still decides a work that writes nothing, at its commit', async () => {
      const refused = transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [false]);
        return 'no writes';
      });
      const admitted = transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [true]);
        return 'no writes';
      });

      await expect(refused).rejects.toMatchObject({ code: 'GA001' });
      await expect(admitted).resolves.toBe('no writes');
    });

    it('keeps its refusal when the work swallows it: nothing commits as if it held', async () => {
      const swallowing = transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [false]);
        await transactions
          .current()
          .query(`INSERT INTO notes VALUES ($1, $2)`, [1, 'work'])
          .catch(() => undefined);
        await statements.last(`INSERT INTO notes VALUES ($1, $2)`, [2, 'last']);
      });

      await expect(swallowing).rejects.toMatchObject({ code: 'GA001' });
      expect(await notes()).toEqual([]);
      // The connection went back to the pool clean: the next transaction commits.
      await transactions.runFolded((statements) =>
        statements.last(`INSERT INTO notes VALUES ($1, $2)`, [3, 'next']),
      );
      expect(await notes()).toEqual([{ id: 3, body: 'next' }]);
    });

    it('opens with a statement whose parameters are of any type, dates included', async () => {
      const at = new Date('2026-12-04T10:00:00Z');

      await transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [true]);
        await transactions
          .current()
          .query(`INSERT INTO notes VALUES ($1, $2::timestamptz::text)`, [1, at]);
      });

      expect(await notes()).toEqual([{ id: 1, body: '2026-12-04 10:00:00+00' }]);
    });
  });

  it('answers a statement riding on BEGIN as the runner would, with counts for changes', async () => {
    await dataSource.query(`INSERT INTO notes VALUES (1, 'one'), (2, 'two')`);

    const answers = await transactions.runFolded(async () => {
      const updated = await transactions.current().query(`UPDATE notes SET body = $1`, ['x']);
      const selected = await transactions.current().query(`SELECT count(*)::int AS n FROM notes`);
      return { updated, selected };
    });

    expect(answers.updated).toEqual([[], 2]);
    expect(answers.selected).toEqual([{ n: 2 }]);
  });

  it('stores any text exactly, quotes and backslashes included', async () => {
    const hostile = `it's \\'; DROP TABLE notes; -- \\\\ "quoted" $1 ünïcode`;

    await transactions.runFolded(async (statements) => {
      await statements.last(`INSERT INTO notes VALUES ($1, $2)`, [1, hostile]);
    });

    expect(await notes()).toEqual([{ id: 1, body: hostile }]);
  });

  it('stores lists of any text exactly, as arrays', async () => {
    const hostile = [`a "quoted", {braced} \\ text`, null, `it's`];

    const [row] = await transactions.runFolded(() =>
      transactions
        .current()
        .query(`SELECT $1::text[] AS list, $2::int[] AS numbers`, [hostile, [1, 2]]),
    );

    expect(row).toEqual({ list: hostile, numbers: [1, 2] });
  });

  it('keeps one plan per statement on a connection, however often it runs', async () => {
    const prepared = async () =>
      (await transactions
        .current()
        .query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE $1`, [
          '%INTO notes (id, body)%',
        ])) as Array<{ n: number }>;
    const kept: number[] = [];

    for (const id of [1, 2, 3]) {
      const [{ n }] = await transactions.runFolded(async (statements) => {
        statements.openWith(`SELECT gate($1)`, [true]);
        await statements.first(`INSERT INTO notes (id, body) VALUES ($1, $2)`, [id, `note ${id}`]);
        return prepared();
      });
      kept.push(n);
    }

    expect(await notes()).toHaveLength(3);
    // One plan per text on each connection, however often it runs.
    expect(kept).toEqual([1, 1, 1]);
  });
});
