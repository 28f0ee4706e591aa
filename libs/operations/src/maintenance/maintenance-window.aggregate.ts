import { IllegalStateError } from '@observe/core';

import { toAggregateDecider } from '../shared/evented-decider';
import {
  maintenanceDecider,
  MaintenanceEvent,
  MaintenanceState,
  MaintenanceWindow,
} from './domain';

export const MAINTENANCE_EVENT_TYPES: readonly MaintenanceEvent['type'][] = [
  'MaintenanceScheduled',
  'MaintenanceExtended',
  'MaintenanceEnded',
  'MaintenanceCancelled',
];

export const maintenanceWindowDecider = toAggregateDecider(
  maintenanceDecider(),
  MAINTENANCE_EVENT_TYPES,
);

export function maintenanceStream(windowId: string): string {
  return `maintenance-${windowId}`;
}

/** The window after a command that succeeded; a command on nothing is refused before. */
export function scheduledWindow(state: MaintenanceState): MaintenanceWindow {
  if (state.status === 'unscheduled') {
    throw new IllegalStateError('the maintenance window has no events');
  }
  return state;
}
