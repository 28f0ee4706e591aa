import { Comparison } from '../domain';

const COMPARE: Record<Comparison, (value: number, threshold: number) => boolean> = {
  gt: (value, threshold) => value > threshold,
  gte: (value, threshold) => value >= threshold,
  lt: (value, threshold) => value < threshold,
  lte: (value, threshold) => value <= threshold,
};

/** True when the aggregate breaches: `operator` says how it compares to the threshold. */
export function breaches(value: number, operator: Comparison, threshold: number): boolean {
  return COMPARE[operator](value, threshold);
}
