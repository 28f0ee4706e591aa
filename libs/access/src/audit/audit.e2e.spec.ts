import { DataSource } from 'typeorm';

import { DenialFlusher } from '../denials/denial-flusher';
import { ManualClock } from '@observe/core';

import { startTestApp, TestApp } from '../../../../test/support/test-app';

describe('audit trail (e2e)', () => {
  let platform: TestApp;
  const clock = new ManualClock('2026-12-03T09:00:10Z');

  beforeAll(async () => {
    platform = await startTestApp({ label: 'audit', clock, captureLogs: true });
  });

  afterAll(async () => {
    await platform.close();
  });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  const act = (agentId: string, conversationId: string, name: string) =>
    platform
      .http()
      .post('/api/v1/me/tokens')
      .set(auth(platform.fullToken))
      .set('X-Agent-Id', agentId)
      .set('X-Conversation-Id', conversationId)
      .send({ name, scopes: ['incidents:read'], dailyMutationLimit: 5 });

  it("filters to exactly one agent's and one conversation's events, in order", async () => {
    await act('agent-a', 'conv-a1', 'a1-first');
    await act('agent-b', 'conv-b1', 'b1-first');
    await act('agent-a', 'conv-a2', 'a2-first');
    await act('agent-a', 'conv-a1', 'a1-second');
    const reader = await platform.mintToken(['audit:read']);

    const byAgent = await platform
      .http()
      .get('/api/v1/audit?agentId=agent-a')
      .set(auth(reader.token));
    const byConversation = await platform
      .http()
      .get('/api/v1/audit/conversations/conv-a1')
      .set(auth(reader.token));

    expect(byAgent.status).toBe(200);
    expect(byAgent.body.data.map((entry: { data: { name: string } }) => entry.data.name)).toEqual([
      'a1-first',
      'a2-first',
      'a1-second',
    ]);
    expect(
      byConversation.body.data.map((entry: { data: { name: string } }) => entry.data.name),
    ).toEqual(['a1-first', 'a1-second']);
    for (const entry of byConversation.body.data) {
      expect(entry).toMatchObject({
        type: 'TokenMinted',
        agentId: 'agent-a',
        conversationId: 'conv-a1',
        actor: { kind: 'user' },
        position: expect.stringMatching(/^\d+-\d+$/),
      });
    }
  });

  it('pages with a cursor and filters by type, stream and position', async () => {
    const reader = await platform.mintToken(['audit:read']);
    const pages: string[][] = [];
    let cursor: string | undefined;

    do {
      const page = await platform
        .http()
        .get('/api/v1/audit')
        .query({ type: 'TokenMinted', limit: 2, ...(cursor ? { cursor } : {}) })
        .set(auth(reader.token));
      pages.push(page.body.data.map((entry: { eventId: string }) => entry.eventId));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    const all = pages.flat();
    const firstStream = await platform
      .http()
      .get('/api/v1/audit')
      .query({ stream: 'token-*', limit: 1 })
      .set(auth(reader.token));
    const after = await platform
      .http()
      .get('/api/v1/audit')
      .query({ after: firstStream.body.data[0].position, type: 'TokenMinted' })
      .set(auth(reader.token));

    expect(pages[0]).toHaveLength(2);
    expect(new Set(all).size).toBe(all.length);
    expect(after.body.data.map((entry: { eventId: string }) => entry.eventId)).toEqual(
      all.slice(1),
    );
    const bad = await platform.http().get('/api/v1/audit?cursor=nonsense').set(auth(reader.token));
    expect(bad.status).toBe(400);
  });

  it('aggregates denials per token and minute into one security event each', async () => {
    const agent = await platform.mintToken(['incidents:read'], 5, 'runaway');
    await Promise.all(
      Array.from({ length: 40 }, () =>
        platform.http().get('/api/v1/audit').set(auth(agent.token)).set('X-Agent-Id', 'runaway-1'),
      ),
    );
    // Denials are counted off the request path; wait until all 40 are.
    const dataSource = platform.app.get(DataSource);
    await until(async () => {
      const [row] = await dataSource.query(
        `SELECT coalesce(sum(count), 0)::int AS counted FROM access.denials WHERE token_id = $1`,
        [agent.id],
      );
      return row.counted === 40;
    });

    clock.advance(60_000);
    await platform.app.get(DenialFlusher).flush();
    const reader = await platform.mintToken(['audit:read']);
    const read = () =>
      platform
        .http()
        .get('/api/v1/audit')
        .query({ type: 'AccessDenied', stream: `token-${agent.id}` })
        .set(auth(reader.token));
    // The trail shows an event once every older transaction has ended.
    await until(async () => (await read()).body.data.length > 0);
    const denied = await read();

    expect(denied.body.data).toHaveLength(1);
    expect(denied.body.data[0]).toMatchObject({
      agentId: 'runaway-1',
      data: { status: 403, reason: 'missing-scope:audit:read', count: 40, tokenId: agent.id },
    });
  });

  it('shows no token secret in answers to scoped tokens, in the audit trail or in the logs', async () => {
    const minted = await act('agent-s', 'conv-s', 'secret-holder');
    const secret: string = minted.body.token;
    await platform.http().get('/api/v1/audit').set(auth(secret));
    await platform
      .http()
      .get('/api/v1/audit')
      .set(auth(`${secret.slice(0, -1)}x`));
    const reader = await platform.mintToken(['audit:read']);

    const audit = await platform.http().get('/api/v1/audit?limit=500').set(auth(reader.token));

    expect(JSON.stringify(audit.body)).not.toContain(secret);
    expect(JSON.stringify(audit.body)).not.toContain(secret.slice(4, 30));
    expect(platform.logs.length).toBeGreaterThan(0);
    expect(platform.logs.join('\n')).not.toContain(secret.slice(4, 30));
    expect(platform.logs.join('\n')).not.toContain(platform.fullToken.slice(4, 30));
  });
});

async function until(probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
