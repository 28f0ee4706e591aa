import { RecordedEvent } from '@observe/event-store';

import { decodeIntegrationEvent, encodeIntegrationEvent } from './integration-event';
import { IntegrationEventRegistry, linkBuilder, patternsMatch } from './integration-event-registry';

const INCIDENT = '0b8a3f52-6f0e-4c2a-9d47-2f1c9e1d7a10';

function recorded(
  type: string,
  data: Record<string, unknown>,
  streamId = `incident-${INCIDENT}`,
): RecordedEvent {
  return {
    eventId: '7d1c0a52-1b7e-4b43-8f0a-6c1b2a3d4e5f',
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { kind: 'system', name: 'test' },
      correlationId: 'corr-1',
      occurredAt: '2026-03-01T11:00:00.000Z',
    },
    streamId,
    revision: 2,
    position: '42',
    recordedAt: '2026-03-01T11:00:00.010Z',
  };
}

describe('IntegrationEventRegistry', () => {
  const registry = new IntegrationEventRegistry();
  const link = linkBuilder('https://observe.example.com/');

  it('maps IncidentOpened to a small incident.opened with the domain event id', () => {
    const event = recorded('IncidentOpened', {
      incidentId: INCIDENT,
      sequence: 1,
      service: 'checkout',
      title: 'Checkout error rate above 5%',
      severity: 'error',
      kind: 'incident',
      origin: 'alert',
      source: 'prometheus',
      dedupKey: 'checkout-errors',
      details: { huge: 'x'.repeat(10_000) },
      links: [{ href: 'https://grafana.example.com/d/1', text: null }],
    });

    const mapped = registry.map(event, link);

    expect(mapped).toEqual({
      id: event.eventId,
      type: 'incident.opened',
      timestamp: '2026-03-01T11:00:00.000Z',
      data: {
        incidentId: INCIDENT,
        service: 'checkout',
        kind: 'incident',
        title: 'Checkout error rate above 5%',
        severity: 'error',
        origin: 'alert',
        source: 'prometheus',
        dedupKey: 'checkout-errors',
        sequence: 1,
        occurredAt: '2026-03-01T11:00:00.000Z',
        links: {
          incident: `https://observe.example.com/api/v1/incidents/${INCIDENT}`,
          timeline: `https://observe.example.com/api/v1/incidents/${INCIDENT}/timeline`,
        },
      },
    });
  });

  it('maps the lifecycle events under their dotted names', () => {
    const base = { incidentId: INCIDENT, sequence: 3, service: 'checkout' };

    expect(
      registry.map(recorded('IncidentAcknowledged', { ...base, via: 'api' }), link)?.type,
    ).toBe('incident.acknowledged');
    expect(
      registry.map(recorded('IncidentResolved', { ...base, via: 'alert' }), link)?.data,
    ).toMatchObject({ via: 'alert', sequence: 3 });
    expect(
      registry.map(recorded('IncidentUpdatePosted', { ...base, message: 'rolled back' }), link),
    ).toMatchObject({ type: 'incident.updated', data: { message: 'rolled back' } });
  });

  it('maps IncidentEscalated with who was paged, leaving the targets out', () => {
    const event = recorded('IncidentEscalated', {
      incidentId: INCIDENT,
      sequence: 4,
      service: 'checkout',
      policyId: 'p-1',
      level: 2,
      round: 1,
      reason: 'level 1 not acknowledged within 5 minutes',
      notified: ['alice', 'bob'],
      targets: [{ kind: 'schedule', id: 's-1' }],
    });

    expect(registry.map(event, link)).toMatchObject({
      type: 'incident.escalated',
      data: { incidentId: INCIDENT, sequence: 4, level: 2, notified: ['alice', 'bob'] },
    });
    expect(registry.map(event, link)?.data).not.toHaveProperty('targets');
  });

  it('falls back to the stream for ids and sequence when the data lacks them', () => {
    const mapped = registry.map(recorded('IncidentAcknowledged', { via: 'api' }), link);

    expect(mapped?.data).toMatchObject({ incidentId: INCIDENT, sequence: 3 });
  });

  it('takes only scalar fields from events other teams shape', () => {
    const event = recorded(
      'DetectionTriggered',
      {
        detectionId: 'd-1',
        ruleId: 'r-1',
        ruleTitle: 'Brute force',
        severity: 'critical',
        count: 12,
        incidentId: INCIDENT,
        evidence: [{ securityEventId: 'e-1', occurredAt: '2026-03-01T10:59:00Z' }],
        mitre: { tactics: ['credential-access'] },
      },
      'detection-d-1',
    );

    const mapped = registry.map(event, link);

    expect(mapped?.type).toBe('detection.triggered');
    expect(mapped?.data).toMatchObject({ detectionId: 'd-1', ruleTitle: 'Brute force', count: 12 });
    expect(mapped?.data).not.toHaveProperty('evidence');
    expect(mapped?.data).not.toHaveProperty('mitre');
    expect(mapped?.data.links).toEqual({
      incident: `https://observe.example.com/api/v1/incidents/${INCIDENT}`,
    });
  });

  it('leaves events that do not leave the platform alone', () => {
    expect(registry.map(recorded('TokenMinted', { tokenId: 't' }), link)).toBeUndefined();
    expect(registry.sourceTypes()).not.toContain('TokenMinted');
  });

  it('knows types, families and the catch-all as subscribable, and nothing else', () => {
    expect(registry.isSubscribable('incident.opened')).toBe(true);
    expect(registry.isSubscribable('incident.*')).toBe(true);
    expect(registry.isSubscribable('*')).toBe(true);
    expect(registry.isSubscribable('incident.exploded')).toBe(false);
    expect(registry.isSubscribable('nothing.*')).toBe(false);
  });

  it('round-trips an event through its wire form', () => {
    const mapped = registry.map(recorded('IncidentAcknowledged', { via: 'api' }), link);
    if (!mapped) throw new Error('not mapped');

    expect(decodeIntegrationEvent(encodeIntegrationEvent(mapped))).toEqual(mapped);
    expect(() => decodeIntegrationEvent('{"id":"x"}')).toThrow(/not an integration event/);
  });
});

describe('patternsMatch', () => {
  it('matches a type, its family and everything', () => {
    expect(patternsMatch(['incident.opened'], 'incident.opened')).toBe(true);
    expect(patternsMatch(['incident.*'], 'incident.resolved')).toBe(true);
    expect(patternsMatch(['*'], 'detection.triggered')).toBe(true);
    expect(patternsMatch(['incident.*'], 'detection.triggered')).toBe(false);
  });
});
