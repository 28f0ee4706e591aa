import { SIGMA_LIMITS } from '../sigma-limits';

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

const TIMEFRAME = /^(\d{1,9})([smhd])$/;

export type TimeframeResult = { ok: true; ms: number } | { ok: false; reason: string };

/** `30s`, `5m`, `1h`, `2d`: a whole number and one unit, within the limits. */
export function parseTimeframe(text: string): TimeframeResult {
  const match = TIMEFRAME.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (match === null || unit === undefined) {
    return {
      ok: false,
      reason: `timeframe '${text}' must be a whole number followed by s, m, h or d, e.g. 5m`,
    };
  }

  const ms = Number(match[1]) * unit;
  if (ms < SIGMA_LIMITS.timeframeMinMs || ms > SIGMA_LIMITS.timeframeMaxMs) {
    return { ok: false, reason: `timeframe '${text}' must be between 1s and 7d` };
  }
  return { ok: true, ms };
}
