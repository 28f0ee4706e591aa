/**
 * Bounds on what a rule may ask for, so one published rule cannot make parsing, matching
 * or threshold state expensive. Documented in docs/sigma-subset.md; keep both in step.
 */
export const SIGMA_LIMITS = {
  sourceBytes: 64 * 1024,
  titleLength: 256,
  textLength: 4096,
  listItems: 64,
  selections: 64,
  branchesPerSelection: 64,
  clausesPerBranch: 64,
  valuesPerClause: 256,
  valuesPerRule: 4096,
  valueLength: 4096,
  fieldPathLength: 256,
  fieldPathSegments: 16,
  regexLength: 512,
  conditionLength: 4096,
  conditionDepth: 32,
  threshold: 1000,
  timeframeMinMs: 1000,
  timeframeMaxMs: 7 * 24 * 60 * 60 * 1000,
  problemsReported: 20,
} as const;
