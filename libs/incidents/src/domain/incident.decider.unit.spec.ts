import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '@observe/core';

import { deciderSpecification } from '../testing/decider-specification';
import {
  decided,
  INCIDENT_ID,
  incidentAcknowledged,
  incidentAnalyzed,
  incidentOpened,
  incidentResolved,
  NOW,
  verdict,
} from '../testing/incident-events.factory';
import { alertFingerprint } from './alert-fingerprint';
import { OpenIncident } from './incident.commands';
import { incidentDecider } from './incident.decider';

const spec = deciderSpecification(incidentDecider, new Date(NOW));

const openCommand = (overrides: Partial<OpenIncident> = {}): OpenIncident => ({
  type: 'OpenIncident',
  incidentId: INCIDENT_ID,
  kind: 'incident',
  title: 'Checkout error rate above 5%',
  summary: 'Since 11:58',
  severity: 'critical',
  service: 'checkout',
  origin: 'manual',
  dedupKey: null,
  source: null,
  links: [{ href: 'https://grafana.example.com/d/checkout', text: 'dashboard' }],
  details: null,
  ...overrides,
});

describe('incident decider', () => {
  describe('OpenIncident', () => {
    it('opens an incident with sequence 1, its service and a fingerprint', () => {
      spec
        .given([])
        .when(openCommand())
        .then([
          {
            type: 'IncidentOpened',
            data: {
              ...decided(1),
              kind: 'incident',
              title: 'Checkout error rate above 5%',
              summary: 'Since 11:58',
              severity: 'critical',
              origin: 'manual',
              dedupKey: null,
              fingerprint: alertFingerprint(null, 'Checkout error rate above 5%'),
              source: null,
              links: [{ href: 'https://grafana.example.com/d/checkout', text: 'dashboard' }],
              details: null,
            },
          },
        ]);
    });

    it('accepts other kinds without a service (security incidents, cases)', () => {
      const state = spec
        .given([])
        .when(openCommand({ kind: 'case', service: null }))
        .thenState();

      expect(state.incident).toMatchObject({ kind: 'case', service: null, status: 'triggered' });
    });

    it('refuses an incident of kind "incident" without a service', () => {
      spec
        .given([])
        .when(openCommand({ service: null }))
        .thenRefuses(ValidationError);
    });

    it('refuses to open the same incident twice', () => {
      spec.given([incidentOpened()]).when(openCommand()).thenRefuses(ConflictError);
    });
  });

  describe('AddAlert', () => {
    const addAlert = {
      type: 'AddAlert' as const,
      incidentId: INCIDENT_ID,
      dedupKey: 'checkout-errors',
      summary: 'Checkout error rate above 7%',
      severity: 'critical' as const,
      source: 'prometheus',
      links: [],
      details: { rate: 0.07 },
    };

    it('adds the alert and counts it', () => {
      spec
        .given([incidentOpened(), incidentAcknowledged(2)])
        .when(addAlert)
        .then([
          {
            type: 'AlertAdded',
            data: {
              ...decided(3),
              dedupKey: 'checkout-errors',
              summary: 'Checkout error rate above 7%',
              severity: 'critical',
              source: 'prometheus',
              links: [],
              details: { rate: 0.07 },
              alertCount: 2,
            },
          },
        ]);
    });

    it('refuses alerts on a resolved incident', () => {
      spec
        .given([incidentOpened(), incidentResolved(2)])
        .when(addAlert)
        .thenRefuses(IllegalStateError, { details: { state: 'resolved' } });
    });
  });

  describe('AcknowledgeIncident', () => {
    const acknowledge = {
      type: 'AcknowledgeIncident' as const,
      incidentId: INCIDENT_ID,
      via: 'api' as const,
      note: 'looking',
    };

    it('acknowledges a triggered incident', () => {
      spec
        .given([incidentOpened()])
        .when(acknowledge)
        .then([
          { type: 'IncidentAcknowledged', data: { ...decided(2), via: 'api', note: 'looking' } },
        ]);
    });

    it('writes nothing when the incident is already acknowledged', () => {
      spec
        .given([incidentOpened(), incidentAcknowledged(2)])
        .when(acknowledge)
        .then([]);
    });

    it('refuses a resolved incident with 409 naming its state', () => {
      spec
        .given([incidentOpened(), incidentResolved(2)])
        .when(acknowledge)
        .thenRefuses(IllegalStateError, { message: /is resolved/, details: { state: 'resolved' } });
    });

    it('answers not found for an incident that was never opened', () => {
      spec.given([]).when(acknowledge).thenRefuses(NotFoundError);
    });
  });

  describe('ResolveIncident', () => {
    const resolve = {
      type: 'ResolveIncident' as const,
      incidentId: INCIDENT_ID,
      via: 'api' as const,
      note: 'rolled back payments-api 1.4.2',
    };

    it('resolves an acknowledged incident with the note', () => {
      const state = spec
        .given([incidentOpened(), incidentAcknowledged(2)])
        .when(resolve)
        .thenState();

      expect(state.incident).toMatchObject({
        status: 'resolved',
        resolvedAt: NOW,
        resolutionNote: 'rolled back payments-api 1.4.2',
        sequence: 3,
      });
    });

    it('refuses to resolve a resolved incident', () => {
      spec
        .given([incidentOpened(), incidentResolved(2)])
        .when(resolve)
        .thenRefuses(IllegalStateError, { details: { state: 'resolved' } });
    });
  });

  describe('PostIncidentUpdate', () => {
    it('posts an update, even after resolution (post-incident notes)', () => {
      spec
        .given([incidentOpened(), incidentResolved(2)])
        .when({
          type: 'PostIncidentUpdate',
          incidentId: INCIDENT_ID,
          message: 'Post-mortem scheduled',
          links: [],
        })
        .then([
          {
            type: 'IncidentUpdatePosted',
            data: { ...decided(3), message: 'Post-mortem scheduled', links: [] },
          },
        ]);
    });
  });

  describe('ChangeIncidentSeverity', () => {
    const change = (severity: 'critical' | 'error') => ({
      type: 'ChangeIncidentSeverity' as const,
      incidentId: INCIDENT_ID,
      severity,
      reason: 'customers affected',
    });

    it('records the change from and to', () => {
      spec
        .given([incidentOpened()])
        .when(change('critical'))
        .then([
          {
            type: 'IncidentSeverityChanged',
            data: { ...decided(2), from: 'error', to: 'critical', reason: 'customers affected' },
          },
        ]);
    });

    it('writes nothing when the severity is already that', () => {
      spec.given([incidentOpened()]).when(change('error')).then([]);
    });

    it('refuses on a resolved incident', () => {
      spec
        .given([incidentOpened(), incidentResolved(2)])
        .when(change('critical'))
        .thenRefuses(IllegalStateError);
    });
  });

  describe('AssignIncident', () => {
    const assign = { type: 'AssignIncident' as const, incidentId: INCIDENT_ID, assignee: 'alice' };

    it('assigns and remembers the previous assignee', () => {
      spec
        .given([incidentOpened()])
        .when(assign)
        .then([
          {
            type: 'IncidentAssigned',
            data: { ...decided(2), assignee: 'alice', previousAssignee: null },
          },
        ]);
    });

    it('writes nothing when already assigned to the same person', () => {
      const history = [
        incidentOpened(),
        {
          type: 'IncidentAssigned' as const,
          data: { ...decided(2), assignee: 'alice', previousAssignee: null },
        },
      ];

      spec.given(history).when(assign).then([]);
    });
  });

  describe('RecordIncidentAnalysis', () => {
    const record = {
      type: 'RecordIncidentAnalysis' as const,
      incidentId: INCIDENT_ID,
      verdict: verdict(),
    };

    it('stores the verdict once', () => {
      spec
        .given([incidentOpened()])
        .when(record)
        .then([{ type: 'IncidentAnalyzed', data: { ...decided(2), verdict: verdict() } }]);
    });

    it('writes no second verdict (a restarted analyst)', () => {
      spec
        .given([incidentOpened(), incidentAnalyzed(2)])
        .when(record)
        .then([]);
    });
  });

  it('counts every event into the sequence, known or not', () => {
    const unknown = { type: 'SomethingNewer', data: {} } as never;

    const state = spec
      .given([incidentOpened(), unknown, incidentAcknowledged(3)])
      .when({ type: 'AssignIncident', incidentId: INCIDENT_ID, assignee: 'bob' })
      .thenState();

    expect(state.sequence).toBe(4);
    expect(state.incident).toMatchObject({ status: 'acknowledged', assignee: 'bob', sequence: 4 });
  });
});

describe('alertFingerprint', () => {
  it('ignores numbers and ids but not the words', () => {
    const one = alertFingerprint('prometheus', 'p99 latency 812ms on pod a1b2c3d4e5');
    const two = alertFingerprint('prometheus', 'P99 latency 1204ms on pod 9f8e7d6c5b');
    const other = alertFingerprint('prometheus', 'p99 latency 812ms on node a1b2c3d4e5');

    expect(one).toBe(two);
    expect(one).not.toBe(other);
  });
});
