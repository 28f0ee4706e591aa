import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { CommandContexts } from '@observe/commands';
import { Clock, FieldError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import { DETECTION_SETTINGS, DetectionSettings } from '../detections.settings';
import { SECURITY_EVENTS_TABLE } from './security-events.schema';

export type SecurityEvent = Record<string, unknown>;

export interface IngestionReceipt {
  batchId: string;
  accepted: number;
  receivedAt: string;
  /** One id per event, in the order sent; detections cite them as evidence. */
  ids: string[];
}

const MAX_EVENT_BYTES = 64 * 1024;

/**
 * Records a batch of security events for the detector. The batch lands whole
 * or not at all, in the request's transaction (with its idempotency record).
 */
@Injectable()
export class SecurityEventIngestion {
  private readonly logger = new Logger(SecurityEventIngestion.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(DETECTION_SETTINGS) private readonly settings: DetectionSettings,
  ) {}

  async ingest(events: unknown[]): Promise<IngestionReceipt> {
    const receivedAt = this.clock.now();
    const occurredAt = this.validate(events, receivedAt);
    const context = CommandContexts.current();
    const batchId = randomUUID();
    const ids = events.map(() => randomUUID());

    await this.transactions.current().query(
      `INSERT INTO ${SECURITY_EVENTS_TABLE}
         (id, batch_id, occurred_at, received_at, token_id, agent_id, event)
       SELECT id, $2, occurred_at, $3, $4, $5, event
         FROM unnest($1::uuid[], $6::timestamptz[], $7::jsonb[]) AS u(id, occurred_at, event)`,
      [
        ids,
        batchId,
        receivedAt,
        context?.actor.tokenId ?? null,
        context?.agentId ?? null,
        occurredAt,
        events.map((event) => JSON.stringify(event)),
      ],
    );

    this.logger.debug({ msg: 'security events recorded', batchId, count: ids.length });
    return { batchId, accepted: ids.length, receivedAt: receivedAt.toISOString(), ids };
  }

  /** Every problem of the batch at once, each naming its event; nothing is written on any. */
  private validate(events: unknown[], receivedAt: Date): Date[] {
    const max = this.settings.maxEventsPerBatch;
    if (events.length === 0 || events.length > max) {
      throw new ValidationError(`a batch holds 1 to ${max} events`, [
        { field: 'events', message: `must hold 1 to ${max} events; got ${events.length}` },
      ]);
    }

    const errors: FieldError[] = [];
    const times = events.map((event, index) => {
      const field = `events[${index}]`;
      if (!isPlainObject(event)) {
        errors.push({ field, message: 'must be a JSON object' });
        return receivedAt;
      }
      const json = JSON.stringify(event);
      if (Buffer.byteLength(json, 'utf8') > MAX_EVENT_BYTES) {
        errors.push({ field, message: `must be at most ${MAX_EVENT_BYTES} bytes as JSON` });
      }
      // PostgreSQL's jsonb cannot hold the NUL character.
      if (json.includes('\\u0000')) {
        errors.push({ field, message: 'must not contain the NUL character (\\u0000)' });
      }
      return eventTime(event, `${field}.@timestamp`, errors) ?? receivedAt;
    });

    if (errors.length > 0) {
      const first = errors[0] ?? { field: 'events', message: 'invalid' };
      throw new ValidationError(`invalid security event: ${first.field} ${first.message}`, errors);
    }
    return times;
  }
}

/** `@timestamp` (ECS) as ISO-8601 text or epoch milliseconds; absent means "when received". */
function eventTime(event: SecurityEvent, field: string, errors: FieldError[]): Date | undefined {
  const value = event['@timestamp'];
  if (value === undefined || value === null) return undefined;

  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    errors.push({ field, message: 'must be an ISO-8601 time or epoch milliseconds' });
    return undefined;
  }
  return new Date(ms);
}

function isPlainObject(value: unknown): value is SecurityEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
