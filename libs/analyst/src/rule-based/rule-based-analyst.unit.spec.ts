import { Evidence, UpstreamService } from '@observe/context-graph';
import { Incident } from '@observe/incidents';

import { AnalysisContext, DeploymentInWindow } from '../incident-analyst';
import { RuleBasedAnalyst } from './rule-based-analyst';

const OPENED_AT = '2026-03-01T12:00:00.000Z';

const evidence = (eventId: string): Evidence => ({
  eventId,
  eventType: 'DependencyDeclared',
  stream: 'service-x',
  position: '1-1',
  at: OPENED_AT,
  actor: { kind: 'user', name: 'operator', tokenId: null },
  agentId: null,
  conversationId: null,
  link: { api: '/api/v1/context/services/x', product: '/services/x' },
});

const upstream = (id: string, depth: number, from: string): UpstreamService => ({
  id,
  name: id,
  depth,
  via: { from, to: id, evidence: evidence(`${from}-${id}`) },
});

const deployment = (service: string, depth: number, minutesBefore: number): DeploymentInWindow => ({
  id: `deploy-${service}`,
  service,
  version: '1.0.0',
  at: new Date(Date.parse(OPENED_AT) - minutesBefore * 60_000).toISOString(),
  link: null,
  evidence: evidence(`event-${service}`),
  depth,
  minutesBeforeIncident: minutesBefore,
});

const pastIncident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'past-1',
  kind: 'incident',
  title: 'Checkout 5xx rate above 5%',
  summary: null,
  status: 'resolved',
  severity: 'critical',
  service: 'checkout',
  assignee: null,
  alertCount: 1,
  dedupKey: null,
  fingerprint: 'f',
  source: 'prometheus',
  links: [],
  openedAt: '2026-02-01T12:00:00.000Z',
  acknowledgedAt: null,
  resolvedAt: '2026-02-01T13:00:00.000Z',
  resolutionNote: 'Restarted the cart pods',
  lastUpdate: null,
  analyzedAt: null,
  updatedAt: '2026-02-01T13:00:00.000Z',
  sequence: 3,
  ...overrides,
});

function context(overrides: Partial<AnalysisContext> = {}): AnalysisContext {
  return {
    incident: {
      id: 'incident-1',
      title: 'Checkout 5xx rate above 5%',
      kind: 'incident',
      service: 'checkout',
      severity: 'critical',
      fingerprint: 'f',
      openedAt: OPENED_AT,
      status: 'triggered',
    },
    lookbackMinutes: 240,
    window: { from: '2026-03-01T08:00:00.000Z', to: OPENED_AT },
    owners: [],
    upstream: [upstream('payments-api', 1, 'checkout'), upstream('ledger', 2, 'payments-api')],
    deployments: [],
    upstreamIncidents: [],
    relatedAlerts: [],
    similarIncidents: [],
    ...overrides,
  };
}

describe('RuleBasedAnalyst', () => {
  const analyst = new RuleBasedAnalyst();

  it('ranks a recent upstream deployment above an old one nearer by', async () => {
    const verdict = await analyst.analyze(
      context({
        deployments: [deployment('payments-api', 1, 210), deployment('ledger', 2, 15)],
      }),
    );

    expect(verdict.probableCauses.map((cause) => [cause.rank, cause.evidence[0].id])).toEqual([
      [1, 'deploy-ledger'],
      [2, 'deploy-payments-api'],
    ]);
    expect(verdict.probableCauses[0].confidence).toBeCloseTo(0.48, 2);
    expect(verdict.probableCauses[0].evidence.slice(1).map((hop) => hop.id)).toEqual([
      'checkout->payments-api',
      'payments-api->ledger',
    ]);
    expect(verdict.summary).toContain('ledger 1.0.0');
    expect(verdict.suggestedActions[0].link?.api).toBe('/api/v1/context/deployments/deploy-ledger');
  });

  it('puts an open upstream incident first when nothing was deployed', async () => {
    const verdict = await analyst.analyze(
      context({
        upstreamIncidents: [
          {
            incident: pastIncident({ id: 'up-1', service: 'payments-api', status: 'triggered' }),
            depth: 1,
            via: upstream('payments-api', 1, 'checkout').via,
          },
        ],
      }),
    );

    expect(verdict.probableCauses[0]).toMatchObject({ kind: 'upstream_incident', confidence: 0.7 });
    expect(verdict.suggestedActions[0].link?.api).toBe('/api/v1/incidents/up-1');
  });

  it('recognises a recurring issue and suggests what fixed it last time', async () => {
    const verdict = await analyst.analyze(context({ similarIncidents: [pastIncident()] }));

    expect(verdict.probableCauses[0]).toMatchObject({ kind: 'recurring_issue', confidence: 0.4 });
    expect(verdict.similarIncidents).toEqual([
      expect.objectContaining({ incidentId: 'past-1', resolutionNote: 'Restarted the cart pods' }),
    ]);
    expect(verdict.suggestedActions.map((action) => action.action)).toContain(
      'Try what fixed "Checkout 5xx rate above 5%": Restarted the cart pods',
    );
  });

  it('says so plainly when it finds nothing', async () => {
    const verdict = await analyst.analyze(context());

    expect(verdict).toMatchObject({ status: 'complete', probableCauses: [], failure: null });
    expect(verdict.summary).toMatch(/^No deployment, upstream incident or recurring pattern/);
  });
});
