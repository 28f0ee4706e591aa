import { z } from 'zod';

import { parsePriceTable, PriceTable } from './telemetry/price-table';

/** Tunables of the AI-agent module, with their defaults beside them. */
export interface AiAgentSettings {
  /** USD per million tokens by model, for spans that carry no cost. */
  prices: PriceTable;
  /** Today's spend is a spike above this many times the trailing daily mean... */
  spikeFactor: number;
  /** ...and above this many USD, so a cheap agent's doubling is not a spike. */
  spikeMinimumSpend: number;
  /** Days before today whose mean spend is the baseline. */
  spikeBaselineDays: number;
  /** How often the spend watch looks for spikes. */
  spikeCheckIntervalMs: number;
  /** Most spans one telemetry request may carry. */
  maxSpansPerRequest: number;
}

export const DEFAULT_AI_AGENT_SETTINGS: Omit<AiAgentSettings, 'prices'> = {
  spikeFactor: 3,
  spikeMinimumSpend: 5,
  spikeBaselineDays: 7,
  spikeCheckIntervalMs: 60_000,
  maxSpansPerRequest: 5_000,
};

/**
 * The variables the module reads (docs/ai-agents.md). These lines belong in
 * the platform's environment schema (libs/config); the module keeps a copy so
 * its tests can boot it from the same strings.
 */
export const aiAgentsEnvironmentSchema = z.object({
  AI_AGENT_PRICES: z.string().trim().optional(),
  AI_AGENT_SPIKE_FACTOR: z.coerce.number().min(1).default(3),
  AI_AGENT_SPIKE_MIN_USD: z.coerce.number().min(0).default(5),
  AI_AGENT_SPIKE_BASELINE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  AI_AGENT_SPIKE_CHECK_MS: z.coerce.number().int().min(100).default(60_000),
});

export type AiAgentsEnvironment = z.infer<typeof aiAgentsEnvironmentSchema>;

/** Settings from the validated environment; a malformed price table stops the boot. */
export function aiAgentSettingsFrom(environment: AiAgentsEnvironment): AiAgentSettings {
  return {
    ...DEFAULT_AI_AGENT_SETTINGS,
    prices: parsePriceTable(environment.AI_AGENT_PRICES),
    spikeFactor: environment.AI_AGENT_SPIKE_FACTOR,
    spikeMinimumSpend: environment.AI_AGENT_SPIKE_MIN_USD,
    spikeBaselineDays: environment.AI_AGENT_SPIKE_BASELINE_DAYS,
    spikeCheckIntervalMs: environment.AI_AGENT_SPIKE_CHECK_MS,
  };
}

export const AI_AGENT_SETTINGS = Symbol('AI_AGENT_SETTINGS');
