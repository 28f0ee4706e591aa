import { FieldError, ValidationError } from '@observe/core';

/** One reason a rule is refused, with where it is in the source when that is known. */
export interface SigmaRuleProblem {
  /** Where in the rule, e.g. `detection.selection.CommandLine|base64offset`; `''` for the root. */
  field: string;
  reason: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

/**
 * A rule that cannot be accepted. `line`, `column` and `reason` describe the first problem,
 * `problems` all of them (up to a limit), so a caller can answer with the line and the reason.
 */
export class SigmaRuleError extends ValidationError {
  readonly reason: string;
  readonly line?: number;
  readonly column?: number;
  readonly problems: SigmaRuleProblem[];

  constructor(problems: readonly SigmaRuleProblem[]) {
    const list = problems.length > 0 ? [...problems] : [{ field: '', reason: 'invalid rule' }];
    const first = list[0] ?? { field: '', reason: 'invalid rule' };
    const fieldErrors: FieldError[] = list.map((p) => ({ field: p.field, message: describe(p) }));

    super(`Sigma rule refused: ${describe(first)}`, fieldErrors, {
      line: first.line,
      column: first.column,
      reason: first.reason,
      problems: list,
    });
    this.reason = first.reason;
    this.line = first.line;
    this.column = first.column;
    this.problems = list;
  }

  static single(problem: SigmaRuleProblem): SigmaRuleError {
    return new SigmaRuleError([problem]);
  }
}

function describe(problem: SigmaRuleProblem): string {
  if (problem.line === undefined) return problem.reason;
  const column = problem.column === undefined ? '' : `, column ${problem.column}`;
  return `line ${problem.line}${column}: ${problem.reason}`;
}
