import { isMap, isScalar, isSeq, Node } from 'yaml';

import { valueProblem } from '../match/clause-test';
import { SIGMA_LIMITS } from '../sigma-limits';
import { FieldClause, SigmaDetection, SigmaSelection, SigmaValue } from '../sigma-rule';
import { ConditionError } from './condition-lexer';
import {
  CONDITION_KEYWORDS,
  parseCondition,
  ParsedCondition,
  SELECTION_NAME,
} from './condition-parser';
import { fieldPathProblem } from './field-name';
import { FieldSpec, parseFieldKey } from './field-key';
import { Problems } from './problems';
import { items, MapEntry, RuleSource } from './rule-source';
import { parseTimeframe } from './timeframe';

/** Counts values across the whole rule, so many small selections cannot add up unbounded. */
interface Budget {
  values: number;
}

/**
 * Reads `detection`: named selections, `condition` and `timeframe`. Each selection and clause
 * is read on its own, so every broken one is reported; undefined means problems were added.
 */
export function parseDetection(
  source: RuleSource,
  node: Node | null,
  problems: Problems,
): SigmaDetection | undefined {
  const entries = source.map(node, 'detection');
  const conditionEntry = entries.find((entry) => entry.key === 'condition');
  const timeframeEntry = entries.find((entry) => entry.key === 'timeframe');
  const selectionEntries = entries.filter((e) => e !== conditionEntry && e !== timeframeEntry);

  if (selectionEntries.length === 0) {
    throw source.problem('detection', 'detection needs at least one named selection', node);
  }
  if (selectionEntries.length > SIGMA_LIMITS.selections) {
    const reason = `detection has more than ${SIGMA_LIMITS.selections} selections`;
    throw source.problem('detection', reason, node);
  }

  const budget: Budget = { values: 0 };
  const selections = selectionEntries.map((entry) =>
    problems.collect(() => parseSelection(source, entry, budget, problems)),
  );
  const names = selectionEntries.map((entry) => entry.key);
  const condition = problems.collect(() => readCondition(source, node, conditionEntry, names));
  const timeframeMs = problems.collect(() =>
    readTimeframe(source, timeframeEntry, conditionEntry, condition?.parsed),
  );

  const complete = selections.filter((s): s is SigmaSelection => s !== undefined);
  if (condition === undefined || complete.length !== selections.length) return undefined;

  const { parsed, text } = condition;
  if (parsed.aggregation === undefined) {
    return { selections: complete, conditionText: text, condition: parsed.condition };
  }
  if (timeframeMs === undefined) return undefined;

  const aggregation = { ...parsed.aggregation, timeframeMs };
  return { selections: complete, conditionText: text, condition: parsed.condition, aggregation };
}

function parseSelection(
  source: RuleSource,
  entry: MapEntry,
  budget: Budget,
  problems: Problems,
): SigmaSelection | undefined {
  const name = entry.key;
  const field = `detection.${name}`;
  if (!SELECTION_NAME.test(name) || CONDITION_KEYWORDS.has(name.toLowerCase())) {
    const reason =
      `selection name '${name}' must start with a letter or '_', hold only letters, ` +
      "digits and '_', and not be a condition keyword";
    throw source.problem(field, reason, entry.keyNode);
  }

  const node = source.structure(entry.value, field);
  let maps: { node: Node; field: string }[];
  if (isMap(node)) {
    maps = [{ node, field }];
  } else if (isSeq(node)) {
    maps = branchNodes(source, items(node), field, node);
  } else {
    const reason = `selection '${name}' must be a map of field: value, or a list of such maps`;
    throw source.problem(field, reason, node ?? entry.keyNode);
  }

  const branches = maps.map((branch) =>
    problems.collect(() => parseBranch(source, branch.node, branch.field, budget, problems)),
  );
  const complete = branches.filter((b): b is FieldClause[] => b !== undefined);
  return complete.length === branches.length ? { name, branches: complete } : undefined;
}

function branchNodes(
  source: RuleSource,
  children: (Node | null)[],
  field: string,
  seq: Node,
): { node: Node; field: string }[] {
  if (children.length === 0) throw source.problem(field, 'selection list is empty', seq);
  if (children.length > SIGMA_LIMITS.branchesPerSelection) {
    const reason = `selection has more than ${SIGMA_LIMITS.branchesPerSelection} alternatives`;
    throw source.problem(field, reason, seq);
  }

  return children.map((child, index) => {
    const checked = source.structure(child, `${field}[${index}]`);
    if (!isMap(checked)) {
      const reason =
        'keyword selections (a list of plain values) are not supported; ' +
        'name the field, e.g. CommandLine|contains: [a, b]';
      throw source.problem(field, reason, child ?? seq);
    }
    return { node: checked, field: `${field}[${index}]` };
  });
}

function parseBranch(
  source: RuleSource,
  node: Node,
  field: string,
  budget: Budget,
  problems: Problems,
): FieldClause[] | undefined {
  const entries = source.map(node, field);
  if (entries.length === 0) throw source.problem(field, 'selection names no field', node);
  if (entries.length > SIGMA_LIMITS.clausesPerBranch) {
    const reason = `selection has more than ${SIGMA_LIMITS.clausesPerBranch} fields`;
    throw source.problem(field, reason, node);
  }

  const clauses = entries.map((entry) =>
    problems.collect(() => parseClause(source, entry, `${field}.${entry.key}`, budget)),
  );
  const complete = clauses.filter((c): c is FieldClause => c !== undefined);
  return complete.length === clauses.length ? complete : undefined;
}

function parseClause(
  source: RuleSource,
  entry: MapEntry,
  field: string,
  budget: Budget,
): FieldClause {
  const key = parseFieldKey(entry.key);
  if (!key.ok) {
    throw source.problem(field, key.reason, source.offsetIn(entry.keyNode, key.index));
  }
  const pathProblem = fieldPathProblem(key.field);
  if (pathProblem !== undefined) throw source.problem(field, pathProblem, entry.keyNode);

  const values = readValues(source, entry, field, key);
  budget.values += values.length;
  if (budget.values > SIGMA_LIMITS.valuesPerRule) {
    const reason = `detection has more than ${SIGMA_LIMITS.valuesPerRule} values in all`;
    throw source.problem(field, reason, entry.keyNode);
  }

  const clause: FieldClause = { field: key.field, operator: key.operator, all: key.all, values };
  if (key.regexFlags.length > 0) clause.regexFlags = key.regexFlags;
  return clause;
}

function readValues(
  source: RuleSource,
  entry: MapEntry,
  field: string,
  { operator, all, regexFlags }: FieldSpec,
): SigmaValue[] {
  const node = source.structure(entry.value, field);
  const nodes = isSeq(node) ? items(node) : [node];
  if (nodes.length === 0) throw source.problem(field, `'${entry.key}' has no values`, node);
  if (nodes.length > SIGMA_LIMITS.valuesPerClause) {
    const reason = `'${entry.key}' has more than ${SIGMA_LIMITS.valuesPerClause} values`;
    throw source.problem(field, reason, node);
  }

  return nodes.map((child) => {
    const at = child ?? node ?? entry.keyNode;
    const { value } = child === null ? { value: null } : source.scalar(child, field);
    const problem =
      value === null && all ? 'null (field absent) cannot be combined with |all' : undefined;
    const reason = problem ?? valueProblem(operator, value, regexFlags);
    if (reason !== undefined) throw source.problem(field, reason, at);
    return value;
  });
}

function readCondition(
  source: RuleSource,
  detection: Node | null,
  entry: MapEntry | undefined,
  names: readonly string[],
): { parsed: ParsedCondition; text: string } {
  const field = 'detection.condition';
  if (entry === undefined) throw source.problem(field, 'detection needs a condition', detection);

  const node = source.structure(entry.value, field);
  if (isSeq(node)) {
    const reason = "condition must be one expression; join alternatives with 'or'";
    throw source.problem(field, reason, node);
  }
  const text = source.string(node, field, SIGMA_LIMITS.conditionLength);

  try {
    return { parsed: parseCondition(text, names), text };
  } catch (error) {
    if (!(error instanceof ConditionError) || !isScalar(node)) throw error;
    throw source.problem(field, error.reason, source.offsetIn(node, error.index));
  }
}

function readTimeframe(
  source: RuleSource,
  entry: MapEntry | undefined,
  conditionEntry: MapEntry | undefined,
  condition: ParsedCondition | undefined,
): number | undefined {
  const field = 'detection.timeframe';
  if (entry === undefined) {
    if (condition?.aggregation === undefined) return undefined;
    const reason = 'an aggregation needs a timeframe in detection, e.g. timeframe: 5m';
    throw source.problem(field, reason, conditionEntry?.value);
  }

  const text = source.string(entry.value, field, 32);
  const parsed = parseTimeframe(text);
  if (!parsed.ok) throw source.problem(field, parsed.reason, entry.value);
  if (condition !== undefined && condition.aggregation === undefined) {
    const reason = 'timeframe is only used with an aggregation such as | count() > 5';
    throw source.problem(field, reason, entry.keyNode);
  }
  return parsed.ms;
}
