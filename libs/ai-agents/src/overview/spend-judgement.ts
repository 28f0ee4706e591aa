export interface SpendThresholds {
  factor: number;
  minimumSpend: number;
  baselineDays: number;
}

/** Whether today's spend is a spike, and everything it was judged against. */
export interface SpendJudgement {
  spiking: boolean;
  spendToday: number;
  baseline: { days: number; total: number; dailyMean: number };
  factor: number;
  minimumSpend: number;
  /** Spend above this is a spike: the larger of factor x daily mean and the minimum. */
  threshold: number;
}

/**
 * A spike is today's spend above `factor` times the mean daily spend of the
 * `baselineDays` before today (days without spend count as zero) and above
 * `minimumSpend`. A new agent has a baseline of zero: only the minimum applies.
 */
export function judgeSpend(
  spendToday: number,
  trailingTotal: number,
  thresholds: SpendThresholds,
): SpendJudgement {
  const dailyMean = round(trailingTotal / thresholds.baselineDays);
  const threshold = round(Math.max(thresholds.factor * dailyMean, thresholds.minimumSpend));
  return {
    spiking: spendToday > threshold,
    spendToday: round(spendToday),
    baseline: { days: thresholds.baselineDays, total: round(trailingTotal), dailyMean },
    factor: thresholds.factor,
    minimumSpend: thresholds.minimumSpend,
    threshold,
  };
}

/** USD to 9 decimals: below a nano-dollar is float noise. */
export function round(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}
