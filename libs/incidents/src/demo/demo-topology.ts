import { RegisterServiceInput, RegisterTeamInput } from '@observe/context-graph';

/** A small online shop: three teams, a dozen services, the dependencies between them. */

export const DEMO_TEAMS: RegisterTeamInput[] = [
  {
    id: 'platform',
    name: 'Platform',
    members: [
      { id: 'maya', name: 'Maya Chen', email: 'maya@example.com' },
      { id: 'omar', name: 'Omar Haddad', email: 'omar@example.com' },
    ],
  },
  {
    id: 'payments',
    name: 'Payments',
    members: [
      { id: 'priya', name: 'Priya Nair', email: 'priya@example.com' },
      { id: 'lucas', name: 'Lucas Moreau', email: 'lucas@example.com' },
    ],
  },
  {
    id: 'commerce',
    name: 'Commerce',
    members: [
      { id: 'sofia', name: 'Sofia Rossi', email: 'sofia@example.com' },
      { id: 'jonas', name: 'Jonas Berg', email: 'jonas@example.com' },
    ],
  },
];

export const DEMO_SERVICES: RegisterServiceInput[] = [
  { id: 'postgres-main', name: 'Main PostgreSQL cluster', ownerTeam: 'platform', tier: 0 },
  { id: 'redis-cache', name: 'Redis cache', ownerTeam: 'platform', tier: 1 },
  { id: 'kafka', name: 'Kafka event bus', ownerTeam: 'platform', tier: 1 },
  { id: 'identity', name: 'Identity and sessions', ownerTeam: 'platform', tier: 0 },
  { id: 'api-gateway', name: 'API gateway', ownerTeam: 'platform', tier: 0 },
  { id: 'ledger', name: 'Ledger', ownerTeam: 'payments', tier: 1 },
  { id: 'fraud-check', name: 'Fraud check', ownerTeam: 'payments', tier: 2 },
  { id: 'payments-api', name: 'Payments API', ownerTeam: 'payments', tier: 0 },
  { id: 'catalog', name: 'Product catalog', ownerTeam: 'commerce', tier: 2 },
  { id: 'cart', name: 'Cart', ownerTeam: 'commerce', tier: 1 },
  { id: 'checkout', name: 'Checkout', ownerTeam: 'commerce', tier: 0 },
  { id: 'storefront', name: 'Storefront web', ownerTeam: 'commerce', tier: 1 },
];

/** [from, to]: `from` depends on `to`. */
export const DEMO_DEPENDENCIES: Array<[string, string]> = [
  ['identity', 'postgres-main'],
  ['api-gateway', 'identity'],
  ['api-gateway', 'checkout'],
  ['ledger', 'postgres-main'],
  ['ledger', 'kafka'],
  ['fraud-check', 'redis-cache'],
  ['payments-api', 'ledger'],
  ['payments-api', 'fraud-check'],
  ['catalog', 'postgres-main'],
  ['cart', 'redis-cache'],
  ['cart', 'catalog'],
  ['checkout', 'cart'],
  ['checkout', 'payments-api'],
  ['checkout', 'identity'],
  ['storefront', 'api-gateway'],
  ['storefront', 'catalog'],
];

/** Deployments relative to now; the payments-api one is the demo incident's likely cause. */
export const DEMO_DEPLOYMENTS: Array<{ service: string; version: string; minutesAgo: number }> = [
  { service: 'storefront', version: '8.0.3', minutesAgo: 2 * 24 * 60 },
  { service: 'catalog', version: '5.2.1', minutesAgo: 180 },
  { service: 'payments-api', version: '2.14.0', minutesAgo: 22 },
];
