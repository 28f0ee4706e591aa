import { IllegalStateError } from '@observe/core';

import { toAggregateDecider } from '../shared/evented-decider';
import { Monitor, MONITOR_EVENT_TYPES, monitorDecider, MonitorState } from './domain';

export const monitorAggregate = toAggregateDecider(monitorDecider, MONITOR_EVENT_TYPES);

export function monitorStream(monitorId: string): string {
  return `monitor-${monitorId}`;
}

export function presentMonitor(state: MonitorState): Monitor {
  if (state.status === 'absent') throw new IllegalStateError('the monitor has no events');
  return state.monitor;
}
