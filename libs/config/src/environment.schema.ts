import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .min(1)
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/**
 * Every variable any app reads, with its default beside it. Parsed once at
 * boot; a bad value stops the process with the variable's name.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  MCP_ALLOWED_ORIGINS: commaList,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATA_DIR: z.string().default('./.data'),
  DATABASE_URL: optionalUrl.pipe(z.string().url().startsWith('postgres').optional()),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(20),

  EVENTSTORE_URL: optionalUrl.pipe(
    z
      .string()
      .regex(
        /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//,
        'must be an esdb:// or kurrentdb:// connection string',
      )
      .optional(),
  ),
  KAFKA_BROKERS: commaList,
  KAFKA_CLIENT_ID: z.string().default('24observe'),
  KAFKA_TOPIC: z.string().default('observe.integration-events'),

  TOKEN_HASH_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  SECRETS_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .min(24, 'must keep keys for at least 24 hours')
    .default(24),
  BOOTSTRAP_TOKEN: z.enum(['print', 'off']).default('print'),

  WEBHOOK_ALLOWED_CIDRS: commaList,
  WEBHOOK_RETRY_SCHEDULE: z.string().default('0s,5s,5m,30m,2h,5h,10h,14h,20h,24h'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(1).default(120),

  SIEM_EVENTS_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(1_000),
  DETECTOR_INTERVAL_MS: z.coerce.number().int().min(50).default(1_000),
  DETECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  AI_AGENT_PRICES: z.string().trim().optional(),
  AI_AGENT_SPIKE_FACTOR: z.coerce.number().min(1).default(3),
  AI_AGENT_SPIKE_MIN_USD: z.coerce.number().min(0).default(5),
  AI_AGENT_SPIKE_BASELINE_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  AI_AGENT_SPIKE_CHECK_MS: z.coerce.number().int().min(100).default(60_000),

  ANALYST_LOOKBACK_MINUTES: z.coerce.number().int().min(1).default(240),
  PROJECTION_MAX_RETRIES: z.coerce.number().int().min(0).max(100).default(5),
});

export type Environment = z.infer<typeof environmentSchema>;
