export type ScheduleMaintenance = {
  type: 'ScheduleMaintenance';
  data: { windowId: string; services: string[]; startsAt: string; endsAt: string; reason: string };
};

/** Moves the end of a window that has not finished to a later time. */
export type ExtendMaintenance = {
  type: 'ExtendMaintenance';
  data: { windowId: string; endsAt: string };
};

/** Ends a running window now. */
export type EndMaintenance = {
  type: 'EndMaintenance';
  data: { windowId: string };
};

/** Calls off a window that has not started. */
export type CancelMaintenance = {
  type: 'CancelMaintenance';
  data: { windowId: string };
};

export type MaintenanceCommand =
  ScheduleMaintenance | ExtendMaintenance | EndMaintenance | CancelMaintenance;
