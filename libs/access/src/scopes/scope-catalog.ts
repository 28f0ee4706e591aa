/** The areas a token can be scoped to; each has `:read` and `:write`. */
export const SCOPE_AREAS = {
  incidents: 'Incidents: list, read, open, acknowledge, resolve, post updates',
  alerts: 'Alert ingestion (the events API) and alert history',
  context: 'The context graph: services, teams, dependencies, deployments, blast radius',
  siem: 'Detection rules (catalog, publishing) and security event ingestion',
  monitors: 'Monitors and metric ingestion; credentials are write-only',
  maintenance: 'Maintenance windows that mute alerts',
  'on-call': 'On-call schedules and overrides',
  escalations: 'Escalation policies',
  'ai-agents': 'AI-agent telemetry, spend overview and cases',
  subscriptions: 'Webhook subscriptions and their deliveries (URLs and secrets redacted)',
  audit: 'The audit trail (the event stream, secrets redacted)',
} as const;

export type ScopeArea = keyof typeof SCOPE_AREAS;
export type Scope = `${ScopeArea}:${'read' | 'write'}`;

export const ALL_SCOPES: Scope[] = (Object.keys(SCOPE_AREAS) as ScopeArea[]).flatMap((area) => [
  `${area}:read` as Scope,
  `${area}:write` as Scope,
]);

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as string[]).includes(value);
}

/**
 * What only a full token may ever do, whatever a scoped token's scopes say.
 * The reason names the class so the 403 tells the agent why.
 */
export const FULL_TOKEN_CLASSES = {
  delete: 'deleting anything',
  'detection-change': 'disabling or rewriting a detection',
  'read-secrets': 'reading secrets (monitor credentials, webhook URLs and signing secrets)',
  billing: 'billing',
  settings: 'settings',
  'data-export': 'data export',
  'mint-tokens': 'minting or managing tokens',
} as const;

export type FullTokenClass = keyof typeof FULL_TOKEN_CLASSES;
