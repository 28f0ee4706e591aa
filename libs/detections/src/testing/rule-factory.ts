import { parseSigmaRule } from '../sigma';
import { ParsedSigmaRule } from '../sigma';

export const RULE_ID = '0f4e2b7c-3c1a-4f0e-9a55-6a1d2c3b4e5f';
export const NOW = '2026-03-01T12:00:00.000Z';

/** A rule counting failed logins per source address; `threshold` and `timeframe` vary. */
export function sprayRuleSource(
  options: { threshold?: number; timeframe?: string; id?: string | null; title?: string } = {},
): string {
  const id = options.id === undefined ? RULE_ID : options.id;
  return [
    `title: ${options.title ?? 'SSH password spraying'}`,
    ...(id === null ? [] : [`id: ${id}`]),
    'level: high',
    'author: detection-agent',
    'tags:',
    '  - attack.credential_access',
    '  - attack.t1110.003',
    'logsource:',
    '  product: linux',
    '  service: sshd',
    'detection:',
    '  selection:',
    '    event.action: login_failed',
    `  condition: selection | count() by source.ip > ${options.threshold ?? 4}`,
    `  timeframe: ${options.timeframe ?? '5m'}`,
    '',
  ].join('\n');
}

/** A rule without a count: every matching event fires. */
export function rootLoginRuleSource(id: string | null = null): string {
  return [
    'title: Root login from outside',
    ...(id === null ? [] : [`id: ${id}`]),
    'level: critical',
    'tags: [attack.initial_access, attack.t1078]',
    'logsource:',
    '  product: linux',
    'detection:',
    '  selection:',
    '    event.action: login_succeeded',
    '    user.name: root',
    '  internal:',
    '    source.ip|cidr: 10.0.0.0/8',
    '  condition: selection and not internal',
    '',
  ].join('\n');
}

export function parsed(source: string): ParsedSigmaRule {
  return parseSigmaRule(source);
}
