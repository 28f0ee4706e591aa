/** USD per million tokens, the unit providers publish prices in. */
export interface ModelPrice {
  input: number;
  output: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices at the time of writing (USD per million tokens). They change:
 * set AI_AGENT_PRICES to override or extend them, model by model.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
};

export class PriceTableError extends Error {
  constructor(message: string) {
    super(`AI_AGENT_PRICES: ${message}`);
    this.name = 'PriceTableError';
  }
}

/**
 * Reads AI_AGENT_PRICES: a JSON object of model name to `{ input, output }`
 * USD per million tokens, merged over the defaults. Refuses anything else,
 * naming the model, so a typo stops the boot instead of pricing at zero.
 */
export function parsePriceTable(json: string | undefined, defaults = DEFAULT_PRICES): PriceTable {
  if (json === undefined || json.trim() === '') return defaults;

  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new PriceTableError('is not valid JSON');
  }
  if (!isRecord(parsed)) throw new PriceTableError('must be a JSON object of model to prices');

  const table: Record<string, ModelPrice> = { ...defaults };
  for (const [model, price] of Object.entries(parsed)) {
    if (!isRecord(price) || !isPrice(price.input) || !isPrice(price.output)) {
      throw new PriceTableError(
        `${model} must be { "input": <USD per 1M tokens>, "output": <USD per 1M tokens> }`,
      );
    }
    table[model.toLowerCase()] = { input: price.input, output: price.output };
  }
  return table;
}

/**
 * The price of a model: an exact (case-insensitive) entry, else the longest
 * entry the name starts with, so `gpt-4o-mini-2024-07-18` takes `gpt-4o-mini`.
 */
export function priceOf(table: PriceTable, model: string | null): ModelPrice | undefined {
  if (model === null) return undefined;
  const name = model.toLowerCase();
  const exact = table[name];
  if (exact) return exact;

  let best: string | undefined;
  for (const key of Object.keys(table)) {
    if (name.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/** USD for the tokens of one call. */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
