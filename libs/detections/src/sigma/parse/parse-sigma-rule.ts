import { LineCounter, Node, parseDocument, YAMLError } from 'yaml';

import { SIGMA_LIMITS } from '../sigma-limits';
import { SigmaRuleError } from '../sigma-rule.error';
import {
  MitreAttack,
  ParsedSigmaRule,
  SEVERITY_BY_LEVEL,
  SigmaDetection,
  SigmaLevel,
  SigmaLogSource,
  SigmaStatus,
} from '../sigma-rule';
import { parseDetection } from './detection-section';
import { Problems } from './problems';
import { MapEntry, RuleSource } from './rule-source';
import { parseId, parseLevel, parseLogSource, parseStatus, parseTags } from './rule-metadata';

/** Sigma metadata this subset accepts and does not use. */
const IGNORED_FIELDS = new Set(['date', 'modified', 'license', 'fields', 'related', 'taxonomy']);

const KNOWN_FIELDS = new Set([
  'title',
  'id',
  'status',
  'description',
  'author',
  'level',
  'tags',
  'references',
  'falsepositives',
  'logsource',
  'detection',
  ...IGNORED_FIELDS,
]);

const REQUIRED_FIELDS = ['title', 'logsource', 'detection'];

/**
 * Parses and validates one Sigma rule written in YAML. Pure: no I/O, no clock.
 * Throws SigmaRuleError listing every problem found, each with its line when known.
 */
export function parseSigmaRule(text: string): ParsedSigmaRule {
  if (Buffer.byteLength(text, 'utf8') > SIGMA_LIMITS.sourceBytes) {
    const reason = `rule is larger than ${SIGMA_LIMITS.sourceBytes / 1024} KiB`;
    throw SigmaRuleError.single({ field: '', reason });
  }

  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const source = new RuleSource(text, lines);
  const problems = new Problems();

  for (const error of [...document.errors, ...document.warnings]) {
    problems.add(yamlProblem(error, lines));
  }
  if (!problems.empty) throw problems.toError();
  if (document.contents === null) {
    throw SigmaRuleError.single({ field: '', reason: 'rule is empty', line: 1, column: 1 });
  }

  const entries = problems.collect(() => source.map(document.contents, ''));
  if (entries === undefined) throw problems.toError();

  const rule = readRule(source, document.contents, entries, problems);
  if (rule === undefined || !problems.empty) throw problems.toError();
  return rule;
}

function readRule(
  source: RuleSource,
  root: Node,
  entries: MapEntry[],
  problems: Problems,
): ParsedSigmaRule | undefined {
  const byKey = new Map(entries.map((entry) => [entry.key, entry.value]));
  const read = <T>(key: string, part: (node: Node | null) => T): T | undefined =>
    byKey.has(key) ? problems.collect(() => part(byKey.get(key) ?? null)) : undefined;

  for (const entry of entries) {
    if (!KNOWN_FIELDS.has(entry.key)) problems.add(unknownField(source, entry));
  }
  for (const key of REQUIRED_FIELDS) {
    if (!byKey.has(key)) problems.add(source.problem(key, `missing required field '${key}'`, root));
  }

  const text = (field: string, max: number) => (node: Node | null) =>
    source.string(node, field, max);
  const title = read('title', text('title', SIGMA_LIMITS.titleLength));
  const id = read('id', (node) => parseId(source, node));
  const status: SigmaStatus | undefined = read('status', (node) => parseStatus(source, node));
  const description = read('description', text('description', SIGMA_LIMITS.textLength));
  const author = read('author', text('author', SIGMA_LIMITS.titleLength));
  const level: SigmaLevel = read('level', (node) => parseLevel(source, node)) ?? 'medium';
  const tagged = read('tags', (node) => parseTags(source, node));
  const references = read('references', list(source, 'references'));
  const falsePositives = read('falsepositives', list(source, 'falsepositives'));
  const logsource: SigmaLogSource | undefined = read('logsource', (node) =>
    parseLogSource(source, node),
  );
  const detection: SigmaDetection | undefined = read('detection', (node) =>
    parseDetection(source, node, problems),
  );
  for (const key of IGNORED_FIELDS) read(key, (node) => source.structure(node, key));

  if (title === undefined || logsource === undefined || detection === undefined) return undefined;
  const mitre: MitreAttack = tagged?.mitre ?? { tactics: [], techniques: [] };
  return {
    title,
    ...(id === undefined ? {} : { id }),
    ...(status === undefined ? {} : { status }),
    ...(description === undefined ? {} : { description }),
    ...(author === undefined ? {} : { author }),
    level,
    severity: SEVERITY_BY_LEVEL[level],
    tags: tagged?.tags ?? [],
    mitre,
    references: references ?? [],
    falsePositives: falsePositives ?? [],
    logsource,
    detection,
  };
}

function list(source: RuleSource, field: string): (node: Node | null) => string[] {
  return (node) => source.strings(node, field, SIGMA_LIMITS.listItems, SIGMA_LIMITS.textLength);
}

function unknownField(source: RuleSource, entry: MapEntry) {
  const reason =
    entry.key === 'action' || entry.key === 'correlation'
      ? `'${entry.key}': Sigma rule collections and correlation rules are not supported`
      : `unknown field '${entry.key}'`;
  return source.problem(entry.key, reason, entry.keyNode);
}

function yamlProblem(error: YAMLError, lines: LineCounter) {
  const { line, col } = lines.linePos(error.pos[0]);
  const reason =
    error.code === 'MULTIPLE_DOCS'
      ? 'one rule per request: the source holds more than one YAML document'
      : `invalid YAML: ${error.message.split('\n')[0] ?? error.code}`;
  return { field: '', reason, line, column: col };
}
