import { RE2JS } from 're2js';

import { SIGMA_LIMITS } from '../sigma-limits';
import { RegexFlag } from '../sigma-rule';

const FLAG_BITS: Readonly<Record<RegexFlag, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

export type SigmaRegex = { ok: true; regex: RE2JS } | { ok: false; reason: string };

/**
 * Compiles a `|re` pattern with RE2 syntax on RE2JS, a linear-time engine: matching time
 * grows with the length of the text, never exponentially, so patterns such as `(a+)+$` or
 * `.*a.*a.*b` cannot stall a worker. RE2 has no backreferences and no lookaround; those and
 * other syntax errors, and patterns over the length limit, are refused with a reason.
 */
export function compileSigmaRegex(source: string, flags: readonly RegexFlag[] = []): SigmaRegex {
  if (source.length > SIGMA_LIMITS.regexLength) {
    return {
      ok: false,
      reason: `regular expression longer than ${SIGMA_LIMITS.regexLength} characters`,
    };
  }

  try {
    const bits = flags.reduce((all, flag) => all | FLAG_BITS[flag], 0);
    return { ok: true, regex: RE2JS.compile(source, bits) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `invalid regular expression: ${message}` };
  }
}
