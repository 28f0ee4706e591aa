import { SigmaRuleError } from '../sigma-rule.error';
import { ConditionNode, ParsedSigmaRule, SigmaAggregation, SigmaSelection } from '../sigma-rule';
import { compileClause, EventTest } from './clause-test';

export type SigmaEvent = Readonly<Record<string, unknown>>;

/** A rule ready to test events. Pure: the same event always gives the same answer. */
export interface CompiledRule {
  readonly rule: ParsedSigmaRule;
  /** Present when the condition ends in `| count() ...`; see ThresholdWindow. */
  readonly aggregation?: SigmaAggregation;
  /** Whether the event satisfies the condition (the part before any `|`). */
  matches(event: SigmaEvent): boolean;
}

/**
 * Builds the matchers of a parsed rule. A rule from parseSigmaRule always compiles; a rule built
 * or stored some other way is checked again and refused with SigmaRuleError (without a line).
 */
export function compileSigmaRule(parsed: ParsedSigmaRule): CompiledRule {
  const selections = new Map<string, EventTest>();
  for (const selection of parsed.detection.selections) {
    selections.set(selection.name, compileSelection(selection));
  }

  const condition = compileCondition(parsed.detection.condition, selections);

  return {
    rule: parsed,
    aggregation: parsed.detection.aggregation,
    matches: (event) => condition(event),
  };
}

function compileSelection(selection: SigmaSelection): EventTest {
  const branches = selection.branches.map((clauses) =>
    clauses.map((clause) => {
      try {
        return compileClause(clause);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const field = `detection.${selection.name}.${clause.field}`;
        throw SigmaRuleError.single({ field, reason });
      }
    }),
  );

  return (event) => branches.some((clauses) => clauses.every((test) => test(event)));
}

function compileCondition(node: ConditionNode, selections: Map<string, EventTest>): EventTest {
  switch (node.kind) {
    case 'selection':
      return selectionTest(node.name, selections);
    case 'not': {
      const operand = compileCondition(node.operand, selections);
      return (event) => !operand(event);
    }
    case 'and': {
      const operands = node.operands.map((child) => compileCondition(child, selections));
      return (event) => operands.every((test) => test(event));
    }
    case 'or': {
      const operands = node.operands.map((child) => compileCondition(child, selections));
      return (event) => operands.some((test) => test(event));
    }
    case 'of': {
      const operands = node.names.map((name) => selectionTest(name, selections));
      if (node.quantifier === 'all') return (event) => operands.every((test) => test(event));
      return (event) => operands.some((test) => test(event));
    }
  }
}

function selectionTest(name: string, selections: Map<string, EventTest>): EventTest {
  const test = selections.get(name);
  if (test === undefined) {
    throw SigmaRuleError.single({
      field: 'detection.condition',
      reason: `condition names selection '${name}', which is not defined`,
    });
  }
  return test;
}
