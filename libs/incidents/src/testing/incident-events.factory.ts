import { IncidentEvent, IncidentOpenedData } from '../domain/incident.events';
import { IncidentVerdict } from '../domain/incident-analysis';

export const INCIDENT_ID = '0b8a3f52-6f0e-4c2a-9d47-2f1c9e1d7a10';
export const OPENED_AT = '2026-03-01T11:00:00.000Z';
export const NOW = '2026-03-01T12:00:00.000Z';

const base = (sequence: number, at = OPENED_AT) => ({
  incidentId: INCIDENT_ID,
  sequence,
  service: 'checkout',
  at,
});

export function incidentOpened(overrides: Partial<IncidentOpenedData> = {}): IncidentEvent {
  return {
    type: 'IncidentOpened',
    data: {
      ...base(1),
      kind: 'incident',
      title: 'Checkout error rate above 5%',
      summary: null,
      severity: 'error',
      origin: 'alert',
      dedupKey: 'checkout-errors',
      fingerprint: 'f00dfeedf00dfeed',
      source: 'prometheus',
      links: [],
      details: null,
      ...overrides,
    },
  };
}

export function incidentAcknowledged(sequence: number): IncidentEvent {
  return { type: 'IncidentAcknowledged', data: { ...base(sequence), via: 'api', note: null } };
}

export function incidentResolved(
  sequence: number,
  note: string | null = 'rolled back',
): IncidentEvent {
  return { type: 'IncidentResolved', data: { ...base(sequence), via: 'api', note } };
}

export function verdict(
  summary = 'A deployment of payments-api is the likely cause',
): IncidentVerdict {
  return {
    status: 'complete',
    summary,
    probableCauses: [],
    suggestedActions: [],
    similarIncidents: [],
    analyst: { name: 'rule-based', version: '1.0.0' },
    lookbackMinutes: 240,
    failure: null,
  };
}

export function incidentAnalyzed(sequence: number): IncidentEvent {
  return { type: 'IncidentAnalyzed', data: { ...base(sequence), verdict: verdict() } };
}

/** The base of an event the decider emits now, at the given sequence. */
export function decided(sequence: number) {
  return base(sequence, NOW);
}
