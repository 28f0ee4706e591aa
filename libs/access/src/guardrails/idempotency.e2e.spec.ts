import { startTestApp, TestApp } from '../../../../test/support/test-app';

describe('Idempotency-Key (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp({ label: 'idempotency' });
  });

  afterAll(async () => {
    await platform.close();
  });

  const mint = (key: string, name: string) =>
    platform
      .http()
      .post('/api/v1/me/tokens')
      .set('Authorization', `Bearer ${platform.fullToken}`)
      .set('Idempotency-Key', key)
      .set('X-Agent-Id', 'ops-bot')
      .send({ name, scopes: ['incidents:read'], dailyMutationLimit: 10 });

  const mintedEvents = async (key: string) => {
    const audit = await platform
      .http()
      .get('/api/v1/audit')
      .query({ type: 'TokenMinted', limit: 500 })
      .set('Authorization', `Bearer ${platform.fullToken}`);
    return audit.body.data.filter(
      (entry: { idempotencyKey: string }) => entry.idempotencyKey === key,
    );
  };

  it('200 concurrent identical requests with one key write exactly one event; the rest replay or wait', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, () => mint('burst-1', 'burst')),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const fresh = responses.filter(
      (response) => response.status === 201 && !response.headers['idempotent-replayed'],
    );
    expect(fresh).toHaveLength(1);
    const replays = responses.filter(
      (response) => response.headers['idempotent-replayed'] === 'true',
    );
    for (const replay of replays) expect(replay.body.id).toBe(fresh[0].body.id);
    for (const waiting of responses.filter((response) => response.status === 409)) {
      expect(waiting.headers['retry-after']).toBe('1');
      expect(waiting.body.type).toBe('/problems/idempotency-key-in-flight');
    }
    expect(await mintedEvents('burst-1')).toHaveLength(1);
  });

  it('replays a finished request with the stored answer, no new event, and secrets masked', async () => {
    const first = await mint('replay-1', 'replayed');

    const second = await mint('replay-1', 'replayed');

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.events).toEqual(first.body.events);
    expect(second.body.token).toBe('[redacted]');
    expect(await mintedEvents('replay-1')).toHaveLength(1);
  });

  it('replays an answer without secrets byte for byte, its keys in their order', async () => {
    const createTeam = () =>
      platform
        .http()
        .post('/api/v1/context/teams')
        .set('Authorization', `Bearer ${platform.fullToken}`)
        .set('Idempotency-Key', 'team-replay-1')
        .send({ id: 'replayed-team', name: 'Replayed', members: [{ id: 'ana' }] });

    const first = await createTeam();
    const second = await createTeam();

    expect(first.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.text).toBe(first.text);
  });

  it('answers 422 when the same key comes with another body, and writes nothing', async () => {
    await mint('mismatch-1', 'original');

    const other = await mint('mismatch-1', 'different');

    expect(other.status).toBe(422);
    expect(other.body.type).toBe('/problems/idempotency-key-reused');
    expect(await mintedEvents('mismatch-1')).toHaveLength(1);
  });

  it('records the agent, the token and the key on the event', async () => {
    const response = await mint('metadata-1', 'with-metadata');

    const [entry] = await mintedEvents('metadata-1');
    expect(response.status).toBe(201);
    expect(entry).toMatchObject({
      agentId: 'ops-bot',
      idempotencyKey: 'metadata-1',
      actor: { kind: 'user', name: 'test-operator' },
    });
    expect(entry.data.secretHash).toBe('[redacted]');
  });

  it('refuses malformed guardrail headers with 400 naming the header', async () => {
    const response = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set('Authorization', `Bearer ${platform.fullToken}`)
      .set('X-Agent-Id', 'spaces are not allowed')
      .send({ name: 'x', scopes: ['incidents:read'], dailyMutationLimit: 1 });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'X-Agent-Id' })]);
  });
});
