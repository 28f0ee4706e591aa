export type MaintenanceScheduled = {
  type: 'MaintenanceScheduled';
  data: { windowId: string; services: string[]; startsAt: string; endsAt: string; reason: string };
};

export type MaintenanceExtended = {
  type: 'MaintenanceExtended';
  data: { windowId: string; previousEndsAt: string; endsAt: string };
};

export type MaintenanceEnded = {
  type: 'MaintenanceEnded';
  data: { windowId: string; endedAt: string };
};

export type MaintenanceCancelled = {
  type: 'MaintenanceCancelled';
  data: { windowId: string; cancelledAt: string };
};

export type MaintenanceEvent =
  MaintenanceScheduled | MaintenanceExtended | MaintenanceEnded | MaintenanceCancelled;
