import { ManualClock } from '@observe/core';

import { startTestApp, TestApp } from '../../../../test/support/test-app';

/**
 * The daily cap is exact under concurrency across API processes: two apps on
 * one database, each with its own connection pool, share one counter.
 */
describe('dailyMutationLimit (e2e)', () => {
  let first: TestApp;
  let second: TestApp;
  const clock = new ManualClock('2026-12-03T10:00:00Z');

  beforeAll(async () => {
    first = await startTestApp({ label: 'daily_cap', clock, roles: ['api', 'projector'] });
    second = await startTestApp({
      label: 'daily_cap',
      clock,
      roles: ['api'],
      databaseUrl: first.databaseUrl,
    });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** A capped operator token: mints are the mutation being counted here. */
  async function cappedToken(limit: number): Promise<string> {
    const response = await first
      .http()
      .post('/api/v1/me/tokens')
      .set('Authorization', `Bearer ${first.fullToken}`)
      .send({ name: 'cap-operator', scopes: [], full: true, dailyMutationLimit: limit });
    return response.body.token;
  }

  const mintWith = (app: TestApp, token: string, index: number) =>
    app
      .http()
      .post('/api/v1/me/tokens')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', `cap-${index}`)
      .send({ name: `capped-${index}`, scopes: ['incidents:read'], dailyMutationLimit: 1 });

  it('500 concurrent mutations against a limit of 200 over two processes: 200 events, 300 answers of 429', async () => {
    const token = await cappedToken(200);

    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, index) => mintWith(index % 2 ? second : first, token, index)),
    );

    const created = responses.filter((response) => response.status === 201);
    const refused = responses.filter((response) => response.status === 429);
    expect(responses.filter((response) => response.status >= 500)).toEqual([]);
    expect(created).toHaveLength(200);
    expect(refused).toHaveLength(300);
    const [{ count }] = await countMinted(first, 'capped-');
    expect(count).toBe(200);
    for (const response of refused) {
      expect(response.body.type).toBe('/problems/quota-exceeded');
      expect(Number(response.headers['retry-after'])).toBe(14 * 3600);
      expect(response.headers['ratelimit']).toBe('"daily-mutations";r=0;t=50400');
    }
    expect(created[0].headers['ratelimit-policy']).toBe('"daily-mutations";q=200;w=86400');
  });

  it('counts per UTC day: the next day the token may mutate again', async () => {
    const token = await cappedToken(1);
    const allowed = await mintWith(first, token, 10_001);
    const refused = await mintWith(first, token, 10_002);

    clock.set('2026-12-04T00:00:01Z');
    const nextDay = await mintWith(second, token, 10_003);

    expect(allowed.status).toBe(201);
    expect(allowed.headers['ratelimit']).toBe('"daily-mutations";r=0;t=50400');
    expect(refused.status).toBe(429);
    expect(nextDay.status).toBe(201);
  });

  it('does not count replays or failed mutations', async () => {
    clock.set('2026-12-05T12:00:00Z');
    const token = await cappedToken(2);

    const first1 = await mintWith(first, token, 20_001);
    const replay = await mintWith(first, token, 20_001);
    const invalid = await first
      .http()
      .post('/api/v1/me/tokens')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'cap-invalid')
      .send({ name: '', scopes: [], dailyMutationLimit: 0 });
    const second1 = await mintWith(first, token, 20_002);
    const third = await mintWith(first, token, 20_003);

    expect(first1.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(invalid.status).toBe(400);
    expect(second1.status).toBe(201);
    expect(third.status).toBe(429);
  });
});

async function countMinted(app: TestApp, namePrefix: string): Promise<Array<{ count: number }>> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await app
      .http()
      .get('/api/v1/audit')
      .query({ type: 'TokenMinted', limit: 500, ...(cursor ? { cursor } : {}) })
      .set('Authorization', `Bearer ${app.fullToken}`);
    count += page.body.data.filter((entry: { data: { name: string } }) =>
      entry.data.name.startsWith(namePrefix),
    ).length;
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return [{ count }];
}
