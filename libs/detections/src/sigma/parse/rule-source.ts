import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';

import { SigmaRuleProblem } from '../sigma-rule.error';

/** Thrown inside a section of the parser; the parser collects these into one SigmaRuleError. */
export class RuleProblem extends Error {
  constructor(readonly problem: SigmaRuleProblem) {
    super(problem.reason);
  }
}

const PLAIN_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`),
);

export interface MapEntry {
  key: string;
  keyNode: Scalar;
  value: Node | null;
}

export type ScalarValue = string | number | boolean | null;

/**
 * The YAML source of a rule, able to say where a node (or a character inside a scalar) is and
 * to read nodes strictly: anything unexpected becomes a RuleProblem with the node's position.
 */
export class RuleSource {
  constructor(
    readonly text: string,
    private readonly lines: LineCounter,
  ) {}

  problem(field: string, reason: string, at?: Node | number | null): RuleProblem {
    const offset = typeof at === 'number' ? at : at?.range?.[0];
    if (offset === undefined) return new RuleProblem({ field, reason });

    const { line, col } = this.lines.linePos(offset);
    return new RuleProblem({ field, reason, line, column: col });
  }

  /**
   * The source offset of character `index` of a scalar's value, when the value is written as is
   * (plain or quoted without escapes); otherwise the start of the scalar.
   */
  offsetIn(node: Scalar, index: number): number {
    const start = node.range?.[0] ?? 0;
    const value = String(node.value);
    const quoted = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' ? 1 : 0;
    const written = this.text.slice(start + quoted, start + quoted + value.length);
    return written === value ? start + quoted + index : start;
  }

  map(node: Node | null, field: string): MapEntry[] {
    const checked = this.structure(node, field);
    if (!isMap(checked)) throw this.problem(field, `${label(field)} must be a map`, node);
    return this.entries(checked, field);
  }

  seq(node: Node | null, field: string): YAMLSeq {
    const checked = this.structure(node, field);
    if (!isSeq(checked)) throw this.problem(field, `${label(field)} must be a list`, node);
    return checked;
  }

  scalar(node: Node | null, field: string): { value: ScalarValue; node: Scalar } {
    const checked = this.structure(node, field);
    if (!isScalar(checked)) {
      throw this.problem(field, `${label(field)} must be a single value`, node);
    }
    const value: unknown = checked.value;
    if (!isScalarValue(value)) {
      const reason = `${label(field)} must be a string, a finite number, a boolean or null`;
      throw this.problem(field, reason, checked);
    }
    return { value, node: checked };
  }

  string(node: Node | null, field: string, maxLength: number): string {
    const { value } = this.scalar(node, field);
    if (typeof value !== 'string') throw this.problem(field, `${label(field)} must be text`, node);
    if (value.trim() === '') throw this.problem(field, `${label(field)} must not be empty`, node);
    if (value.length > maxLength) {
      throw this.problem(field, `${label(field)} is longer than ${maxLength} characters`, node);
    }
    return value;
  }

  strings(node: Node | null, field: string, maxItems: number, maxLength: number): string[] {
    const seq = this.seq(node, field);
    if (seq.items.length > maxItems) {
      throw this.problem(field, `${label(field)} has more than ${maxItems} items`, seq);
    }
    return items(seq).map((item, index) => this.string(item, `${field}[${index}]`, maxLength));
  }

  private entries(map: YAMLMap, field: string): MapEntry[] {
    return map.items.map((pair) => {
      const keyNode = isNode(pair.key) ? pair.key : null;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        throw this.problem(field, `${label(field)} keys must be plain text`, keyNode ?? map);
      }
      const value = isNode(pair.value) ? pair.value : null;
      return { key: String(keyNode.value), keyNode, value };
    });
  }

  /** Refuses what the subset never uses: aliases (and so alias bombs) and custom tags. */
  structure(node: Node | null, field: string): Node | null {
    if (isAlias(node)) {
      throw this.problem(field, 'YAML aliases (*name) are not supported; repeat the value', node);
    }
    if (node?.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
      const tag = node.tag.replace('tag:yaml.org,2002:', '!!');
      throw this.problem(field, `YAML tag ${tag} is not supported`, node);
    }
    return node;
  }
}

/** The children of a list as nodes; an empty entry (`- `) is null. */
export function items(seq: YAMLSeq): (Node | null)[] {
  return seq.items.map((item) => (isNode(item) ? item : null));
}

function isScalarValue(value: unknown): value is ScalarValue {
  if (typeof value === 'number') return Number.isFinite(value);
  return value === null || typeof value === 'string' || typeof value === 'boolean';
}

function label(field: string): string {
  return field === '' ? 'the rule' : `'${field}'`;
}
