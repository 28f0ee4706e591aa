import { Node } from 'yaml';

import { SIGMA_LIMITS } from '../sigma-limits';
import {
  MitreAttack,
  SIGMA_LEVELS,
  SIGMA_STATUSES,
  SigmaLevel,
  SigmaLogSource,
  SigmaStatus,
} from '../sigma-rule';
import { collectMitreTag } from './mitre-tags';
import { items, RuleSource } from './rule-source';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = /^[A-Za-z0-9_.-]+$/;
const LOGSOURCE_KEYS = ['category', 'product', 'service', 'definition'] as const;

export function parseId(source: RuleSource, node: Node | null): string {
  const id = source.string(node, 'id', 64);
  if (!UUID.test(id)) throw source.problem('id', `id '${id}' is not a UUID`, node);
  return id.toLowerCase();
}

export function parseLevel(source: RuleSource, node: Node | null): SigmaLevel {
  return oneOf(source, node, 'level', SIGMA_LEVELS);
}

export function parseStatus(source: RuleSource, node: Node | null): SigmaStatus {
  return oneOf(source, node, 'status', SIGMA_STATUSES);
}

export function parseTags(
  source: RuleSource,
  node: Node | null,
): { tags: string[]; mitre: MitreAttack } {
  const tags = source.strings(node, 'tags', SIGMA_LIMITS.listItems, 128);
  const mitre: MitreAttack = { tactics: [], techniques: [] };
  const nodes = items(source.seq(node, 'tags'));

  tags.forEach((tag, index) => {
    const at = nodes[index];
    if (!TAG.test(tag)) {
      const reason = `tag '${tag}' may only hold letters, digits, '_', '-' and '.'`;
      throw source.problem(`tags[${index}]`, reason, at);
    }
    const result = collectMitreTag(tag, mitre);
    if (!result.ok) throw source.problem(`tags[${index}]`, result.reason, at);
  });

  return { tags, mitre };
}

export function parseLogSource(source: RuleSource, node: Node | null): SigmaLogSource {
  const logsource: SigmaLogSource = {};

  for (const entry of source.map(node, 'logsource')) {
    const key = LOGSOURCE_KEYS.find((known) => known === entry.key);
    const field = `logsource.${entry.key}`;
    if (key === undefined) {
      const reason = `unknown logsource field '${entry.key}'; use ${LOGSOURCE_KEYS.join(', ')}`;
      throw source.problem(field, reason, entry.keyNode);
    }
    logsource[key] = source.string(entry.value, field, SIGMA_LIMITS.titleLength);
  }

  if (!logsource.category && !logsource.product && !logsource.service) {
    const reason = 'logsource needs at least one of category, product or service';
    throw source.problem('logsource', reason, node);
  }
  return logsource;
}

function oneOf<T extends string>(
  source: RuleSource,
  node: Node | null,
  field: string,
  allowed: readonly T[],
): T {
  const text = source.string(node, field, 64);
  const value = allowed.find((candidate) => candidate === text);
  if (value === undefined) {
    throw source.problem(field, `${field} must be one of ${allowed.join(', ')}`, node);
  }
  return value;
}
