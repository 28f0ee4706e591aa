import { startTestApp, TestApp } from '../../../../test/support/test-app';

describe('tokens (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp({ label: 'tokens' });
  });

  afterAll(async () => {
    await platform.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('mints a scoped token shown once, lists it without secrets, and revokes it at once', async () => {
    const minted = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(platform.fullToken))
      .send({ name: 'triage', scopes: ['audit:read', 'incidents:read'], dailyMutationLimit: 50 });

    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({
      name: 'triage',
      scopes: ['audit:read', 'incidents:read'],
      dailyMutationLimit: 50,
      kind: 'scoped',
    });
    expect(minted.body.token).toMatch(/^obs_[0-9A-Za-z]{49}$/);
    expect(minted.body.token.startsWith(minted.body.prefix)).toBe(true);
    expect(minted.body.events).toEqual([
      expect.objectContaining({ type: 'TokenMinted', eventId: expect.any(String) }),
    ]);

    const listed = await platform.http().get('/api/v1/me/tokens').set(auth(platform.fullToken));
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain(minted.body.token);
    expect(listed.body.data.map((token: { id: string }) => token.id)).toContain(minted.body.id);

    const before = await platform.http().get('/api/v1/audit').set(auth(minted.body.token));
    expect(before.status).toBe(200);
    const revoked = await platform
      .http()
      .post(`/api/v1/me/tokens/${minted.body.id}/revoke`)
      .set(auth(platform.fullToken))
      .send({ reason: 'test' });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await platform.http().get('/api/v1/audit').set(auth(minted.body.token));
    expect(after.status).toBe(401);
    expect(after.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a token revoked through another API process on its next mutation', async () => {
    const other = await startTestApp({
      label: 'tokens_other',
      roles: ['api'],
      databaseUrl: platform.databaseUrl,
    });
    try {
      const operator = (path: string, body: object) =>
        platform.http().post(path).set(auth(platform.fullToken)).send(body);
      const team = { id: 'payments', name: 'Payments', members: [{ id: 'ana' }] };
      expect((await operator('/api/v1/context/teams', team)).status).toBe(201);
      const service = { id: 'checkout', name: 'Checkout', ownerTeam: 'payments', tier: 1 };
      expect((await operator('/api/v1/context/services', service)).status).toBe(201);
      const agent = await platform.mintToken(['incidents:write']);
      const open = (key: string) =>
        platform
          .http()
          .post('/api/v1/incidents')
          .set(auth(agent.token))
          .set('Idempotency-Key', key)
          .send({ title: 'Checkout down', severity: 'critical', service: 'checkout' });
      expect((await open('before-revoke')).status).toBe(201);

      const revoked = await other
        .http()
        .post(`/api/v1/me/tokens/${agent.id}/revoke`)
        .set(auth(platform.fullToken))
        .send({ reason: 'leaked' });
      expect(revoked.status).toBe(200);

      const after = await open('after-revoke');
      expect(after.status).toBe(401);
      expect(after.body.type).toBe('/problems/unauthenticated');
      const incidents = await platform
        .http()
        .get('/api/v1/incidents')
        .set(auth(platform.fullToken));
      expect(
        incidents.body.data.filter((i: { title: string }) => i.title === 'Checkout down'),
      ).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('refuses a missing, malformed or unknown token with 401 and WWW-Authenticate', async () => {
    const missing = await platform.http().get('/api/v1/audit');
    const malformed = await platform.http().get('/api/v1/audit').set(auth('obs_nope'));
    const unknown = await platform
      .http()
      .get('/api/v1/audit')
      .set(auth('obs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA000000'));

    for (const response of [missing, malformed, unknown]) {
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('Bearer');
      expect(response.body.type).toBe('/problems/unauthenticated');
    }
  });

  it('never lets a scoped token mint tokens, whatever its scopes', async () => {
    const agent = await platform.mintToken(['incidents:write', 'audit:read']);

    const response = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(agent.token))
      .set('Idempotency-Key', 'mint-1')
      .send({ name: 'escalate', scopes: ['audit:read'], dailyMutationLimit: 1 });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ type: '/problems/full-token-required', status: 403 });
  });

  it('validates the body: unknown scopes, unknown fields and bad limits are 400 with the field', async () => {
    const response = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(platform.fullToken))
      .send({ name: 'x', scopes: ['incidents:admin'], dailyMutationLimit: 0, extra: true });
    const unknownScope = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(platform.fullToken))
      .send({ name: 'x', scopes: ['incidents:admin'], dailyMutationLimit: 5 });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['dailyMutationLimit', 'extra']),
    );
    expect(unknownScope.status).toBe(400);
    expect(unknownScope.body.detail).toContain('incidents:admin');
  });

  it('answers malformed and oversized bodies with 400 problem+json, writing nothing', async () => {
    const malformed = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(platform.fullToken))
      .set('content-type', 'application/json')
      .send('{"name": ');
    const oversized = await platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(platform.fullToken))
      .send({ name: 'x'.repeat(2_000_000), scopes: [], dailyMutationLimit: 1 });

    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe('/problems/malformed-json');
    expect(oversized.status).toBe(400);
    expect(oversized.body.type).toBe('/problems/payload-too-large');
  });

  it('lists the scope catalog publicly', async () => {
    const response = await platform.http().get('/api/v1/scopes');

    expect(response.status).toBe(200);
    const scopes = response.body.data.map((entry: { scope: string }) => entry.scope);
    for (const area of [
      'incidents',
      'alerts',
      'context',
      'siem',
      'monitors',
      'maintenance',
      'on-call',
      'escalations',
      'ai-agents',
      'subscriptions',
      'audit',
    ]) {
      expect(scopes).toEqual(expect.arrayContaining([`${area}:read`, `${area}:write`]));
    }
  });
});
