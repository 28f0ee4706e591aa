import { Decider } from '@observe/commands';
import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '@observe/core';

import { alertFingerprint } from './alert-fingerprint';
import { Incident } from './incident';
import { IncidentCommand, OpenIncident } from './incident.commands';
import { IncidentEvent, IncidentEventBase, IncidentOpenedData } from './incident.events';

export interface IncidentState {
  /** How many events the stream holds: the next event's sequence is this + 1. */
  sequence: number;
  incident: Incident | null;
}

export const incidentDecider: Decider<IncidentState, IncidentCommand, IncidentEvent> = {
  initialState: () => ({ sequence: 0, incident: null }),

  evolve(state, event) {
    const sequence = state.sequence + 1;
    const incident = state.incident;
    if (event.type === 'IncidentOpened') return { sequence, incident: opened(event.data) };
    // Events this version does not know still count towards the sequence.
    if (!incident) return { ...state, sequence };

    const touched = { ...incident, sequence, updatedAt: event.data.at };
    switch (event.type) {
      case 'AlertAdded':
        return { sequence, incident: { ...touched, alertCount: event.data.alertCount } };
      case 'IncidentAcknowledged':
        return {
          sequence,
          incident: { ...touched, status: 'acknowledged', acknowledgedAt: event.data.at },
        };
      case 'IncidentResolved':
        return {
          sequence,
          incident: {
            ...touched,
            status: 'resolved',
            resolvedAt: event.data.at,
            resolutionNote: event.data.note,
          },
        };
      case 'IncidentUpdatePosted':
        return {
          sequence,
          incident: {
            ...touched,
            lastUpdate: {
              message: event.data.message,
              links: event.data.links,
              postedAt: event.data.at,
            },
          },
        };
      case 'IncidentSeverityChanged':
        return { sequence, incident: { ...touched, severity: event.data.to } };
      case 'IncidentAssigned':
        return { sequence, incident: { ...touched, assignee: event.data.assignee } };
      case 'IncidentAnalyzed':
        // The verdict is not a change a responder made: updatedAt stays.
        return { sequence, incident: { ...incident, sequence, analyzedAt: event.data.at } };
      default:
        return { ...state, sequence };
    }
  },

  decide(command, state, now) {
    const at = now.toISOString();
    if (command.type === 'OpenIncident') return [open(command, state, at)];

    const incident = state.incident;
    if (!incident) throw new NotFoundError('incident', command.incidentId);
    const base: IncidentEventBase = {
      incidentId: incident.id,
      sequence: state.sequence + 1,
      service: incident.service,
      at,
    };

    switch (command.type) {
      case 'AddAlert':
        refuseWhenResolved(incident, 'take new alerts');
        return [
          {
            type: 'AlertAdded',
            data: {
              ...base,
              dedupKey: command.dedupKey,
              summary: command.summary,
              severity: command.severity,
              source: command.source,
              links: command.links,
              details: command.details,
              alertCount: incident.alertCount + 1,
            },
          },
        ];

      case 'AcknowledgeIncident':
        refuseWhenResolved(incident, 'be acknowledged');
        // Acknowledging twice answers with the current state and writes nothing.
        if (incident.status === 'acknowledged') return [];
        return [
          { type: 'IncidentAcknowledged', data: { ...base, via: command.via, note: command.note } },
        ];

      case 'ResolveIncident':
        refuseWhenResolved(incident, 'be resolved again');
        return [
          { type: 'IncidentResolved', data: { ...base, via: command.via, note: command.note } },
        ];

      case 'PostIncidentUpdate':
        return [
          {
            type: 'IncidentUpdatePosted',
            data: { ...base, message: command.message, links: command.links },
          },
        ];

      case 'ChangeIncidentSeverity':
        refuseWhenResolved(incident, 'change severity');
        if (incident.severity === command.severity) return [];
        return [
          {
            type: 'IncidentSeverityChanged',
            data: {
              ...base,
              from: incident.severity,
              to: command.severity,
              reason: command.reason,
            },
          },
        ];

      case 'AssignIncident':
        refuseWhenResolved(incident, 'be assigned');
        if (incident.assignee === command.assignee) return [];
        return [
          {
            type: 'IncidentAssigned',
            data: { ...base, assignee: command.assignee, previousAssignee: incident.assignee },
          },
        ];

      case 'RecordIncidentAnalysis':
        // One verdict per incident: a restarted analyst must not write a second.
        if (incident.analyzedAt) return [];
        return [{ type: 'IncidentAnalyzed', data: { ...base, verdict: command.verdict } }];
    }
  },
};

function open(command: OpenIncident, state: IncidentState, at: string): IncidentEvent {
  if (state.incident) throw new ConflictError(`incident ${command.incidentId} already exists`);
  if (command.kind === 'incident' && !command.service) {
    throw new ValidationError('an incident of kind "incident" needs a service', [
      { field: 'service', message: 'is required' },
    ]);
  }

  return {
    type: 'IncidentOpened',
    data: {
      incidentId: command.incidentId,
      sequence: state.sequence + 1,
      service: command.service,
      at,
      kind: command.kind,
      title: command.title,
      summary: command.summary,
      severity: command.severity,
      origin: command.origin,
      dedupKey: command.dedupKey,
      fingerprint: alertFingerprint(command.source, command.title),
      source: command.source,
      links: command.links,
      details: command.details,
    },
  };
}

function opened(data: IncidentOpenedData): Incident {
  return {
    id: data.incidentId,
    kind: data.kind,
    title: data.title,
    summary: data.summary,
    status: 'triggered',
    severity: data.severity,
    service: data.service,
    assignee: null,
    alertCount: data.origin === 'alert' ? 1 : 0,
    dedupKey: data.dedupKey,
    fingerprint: data.fingerprint,
    source: data.source,
    links: data.links,
    openedAt: data.at,
    acknowledgedAt: null,
    resolvedAt: null,
    resolutionNote: null,
    lastUpdate: null,
    analyzedAt: null,
    updatedAt: data.at,
    sequence: data.sequence,
  };
}

/** A resolved incident is closed: the 409 names its state so the caller can re-read. */
function refuseWhenResolved(incident: Incident, action: string): void {
  if (incident.status !== 'resolved') return;
  throw new IllegalStateError(
    `incident ${incident.id} is resolved (since ${incident.resolvedAt}); it cannot ${action}`,
    { incidentId: incident.id, state: incident.status, resolvedAt: incident.resolvedAt },
  );
}
