/**
 * What a process does. `npm start` runs every role in one process; the
 * distributed apps each run one or a few.
 */
export type Role =
  'api' | 'projector' | 'relay' | 'dispatcher' | 'analyst' | 'scheduler' | 'detector';

export const ALL_ROLES: Role[] = [
  'api',
  'projector',
  'relay',
  'dispatcher',
  'analyst',
  'scheduler',
  'detector',
];
