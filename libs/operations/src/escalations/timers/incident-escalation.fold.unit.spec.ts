import { DomainEvent } from '@observe/commands';

import { incidentEscalationFold } from './incident-escalation.fold';

const fold = (events: DomainEvent[]) =>
  events.reduce(incidentEscalationFold.evolve, incidentEscalationFold.initialState());
const event = (type: string, data: Record<string, unknown> = {}): DomainEvent => ({ type, data });

describe('incidentEscalationFold', () => {
  it('reads acknowledgement, resolution and fired levels from the incident stream', () => {
    const state = fold([
      event('IncidentOpened'),
      event('IncidentEscalated', { level: 0 }),
      event('AlertAdded'),
      event('IncidentEscalated', { level: 1 }),
      event('IncidentAcknowledged'),
    ]);

    expect(state).toEqual({
      sequence: 5,
      opened: true,
      acknowledged: true,
      resolved: false,
      escalatedLevels: [0, 1],
    });
  });

  it('counts events it does not know towards the sequence', () => {
    expect(fold([event('IncidentOpened'), event('SomethingNew')]).sequence).toBe(2);
  });
});
