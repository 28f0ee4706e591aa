import { SIGMA_LIMITS } from '../sigma-limits';
import { SigmaRuleError, SigmaRuleProblem } from '../sigma-rule.error';
import { RuleProblem } from './rule-source';

/** Gathers the problems of independent parts of a rule, so one answer lists them all. */
export class Problems {
  private readonly list: SigmaRuleProblem[] = [];

  add(problem: RuleProblem | SigmaRuleProblem): void {
    this.list.push(problem instanceof RuleProblem ? problem.problem : problem);
  }

  /** Runs one part; a RuleProblem it throws is recorded and the part yields undefined. */
  collect<T>(part: () => T): T | undefined {
    try {
      return part();
    } catch (error) {
      if (!(error instanceof RuleProblem)) throw error;
      this.add(error);
      return undefined;
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Earliest in the source first, problems without a position last. */
  toError(): SigmaRuleError {
    const sorted = [...this.list].sort(
      (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
    );
    return new SigmaRuleError(sorted.slice(0, SIGMA_LIMITS.problemsReported));
  }
}
