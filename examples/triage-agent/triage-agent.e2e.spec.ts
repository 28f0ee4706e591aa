import { startTestApp, TestApp } from '../../test/support/test-app';
import { TriageAgent, TriageOutcome } from './triage-agent';

/**
 * The example agent against the real platform: pushed `incident.opened` by a
 * signed webhook, it observes, reasons and acts, and the audit trail shows
 * its actions under its agent and conversation ids.
 */
describe('triage agent example (e2e)', () => {
  let platform: TestApp;
  let agent: TriageAgent;

  beforeAll(async () => {
    platform = await startTestApp({ label: 'triage_agent' });
  });

  afterAll(async () => {
    await agent?.stop();
    await platform.close();
  });

  const asOperator = (path: string, body: object) =>
    platform
      .http()
      .post(path)
      .set('Authorization', `Bearer ${platform.fullToken}`)
      .send(body)
      .expect((response) => {
        if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
      });

  it('is pushed an incident, cites the analyst’s evidence, acknowledges, and leaves an audit trail', async () => {
    await asOperator('/api/v1/context/teams', {
      id: 'payments',
      name: 'Payments',
      members: [{ id: 'ana', name: 'Ana' }],
    });
    await asOperator('/api/v1/context/services', {
      id: 'ledger',
      name: 'Ledger',
      ownerTeam: 'payments',
      tier: 1,
    });
    await asOperator('/api/v1/context/services', {
      id: 'checkout',
      name: 'Checkout',
      ownerTeam: 'payments',
      tier: 1,
    });
    await asOperator('/api/v1/context/services', {
      id: 'storefront',
      name: 'Storefront',
      ownerTeam: 'payments',
      tier: 2,
    });
    await asOperator('/api/v1/context/dependencies', { from: 'checkout', to: 'ledger' });
    await asOperator('/api/v1/context/dependencies', { from: 'storefront', to: 'checkout' });
    await asOperator('/api/v1/context/deployments', { service: 'ledger', version: '3.2.0' });
    const { token } = await platform.mintToken(
      [
        'incidents:read',
        'incidents:write',
        'context:read',
        'subscriptions:write',
        'subscriptions:read',
      ],
      100,
      'triage-agent',
    );
    agent = new TriageAgent({ baseUrl: platform.url, token, agentId: 'triage-agent' });
    await agent.start();
    const triaged: Promise<TriageOutcome> = agent.nextOutcome();

    await asOperator('/api/v1/alerts', {
      service: 'checkout',
      dedupKey: 'checkout-5xx',
      action: 'trigger',
      summary: 'Checkout 5xx rate above 5%',
      severity: 'critical',
      source: 'prometheus',
    });
    const outcome = await triaged;

    expect(outcome.cause).toContain('ledger');
    expect(outcome.citedLinks.length).toBeGreaterThan(0);
    for (const link of outcome.citedLinks) {
      const followed = await platform
        .http()
        .get(new URL(link).pathname)
        .set('Authorization', `Bearer ${platform.fullToken}`);
      expect(followed.status).toBe(200);
    }
    const audit = await platform
      .http()
      .get(`/api/v1/audit/conversations/${outcome.conversationId}`)
      .set('Authorization', `Bearer ${platform.fullToken}`);
    expect(audit.body.data.map((entry: { type: string }) => entry.type)).toEqual([
      'IncidentUpdatePosted',
      'IncidentAcknowledged',
    ]);
    for (const entry of audit.body.data) {
      expect(entry).toMatchObject({
        agentId: 'triage-agent',
        conversationId: outcome.conversationId,
        actor: { kind: 'agent', name: 'triage-agent' },
        idempotencyKey: expect.any(String),
      });
    }
    const incident = await platform
      .http()
      .get(`/api/v1/incidents/${outcome.incidentId}`)
      .set('Authorization', `Bearer ${platform.fullToken}`);
    expect(incident.body.status).toBe('acknowledged');
  });
});
