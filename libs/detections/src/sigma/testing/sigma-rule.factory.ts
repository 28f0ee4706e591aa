import { compileSigmaRule, CompiledRule } from '../match/compile-sigma-rule';
import { parseSigmaRule } from '../parse/parse-sigma-rule';
import { SigmaRuleError } from '../sigma-rule.error';

/** The line a `detection` body given to sigmaSource starts on. */
export const DETECTION_FIRST_LINE = 5;

/** A complete rule around a `detection` body, written without its outer indentation. */
export function sigmaSource(detection: string): string {
  const body = detection
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `title: Test rule\nlogsource:\n  product: linux\ndetection:\n${body}\n`;
}

export function compileDetection(detection: string): CompiledRule {
  return compileSigmaRule(parseSigmaRule(sigmaSource(detection)));
}

/** The error parseSigmaRule throws for `source`; fails the test when it accepts the rule. */
export function refusal(source: string): SigmaRuleError {
  try {
    parseSigmaRule(source);
  } catch (error) {
    if (error instanceof SigmaRuleError) return error;
    throw error;
  }
  throw new Error('expected the rule to be refused, but it was accepted');
}
