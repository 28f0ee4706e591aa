import { Injectable, Logger } from '@nestjs/common';

import { Clock, deterministicUuid } from '@observe/core';
import { Transactions } from '@observe/database';
import { EventStore } from '@observe/event-store';

interface DenialRow {
  token_id: string;
  minute: Date;
  status: number;
  reason: string;
  agent_id: string;
  count: number;
  sample_path: string | null;
}

/**
 * Turns each finished minute of denials into one `AccessDenied` event on the
 * token's stream. Ids derive from the bucket, so two flushers cannot double it.
 */
@Injectable()
export class DenialFlusher {
  private readonly logger = new Logger(DenialFlusher.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async flush(): Promise<number> {
    const currentMinute = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000);

    return this.transactions.run(async (manager) => {
      const rows: DenialRow[] = await manager.query(
        `SELECT token_id, minute, status, reason, agent_id, count, sample_path
           FROM access.denials WHERE NOT recorded AND minute < $1
          ORDER BY minute LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [currentMinute],
      );
      for (const row of rows) {
        const stream = row.token_id === 'anonymous' ? 'access-anonymous' : `token-${row.token_id}`;
        await this.store.append(stream, [this.toEvent(row)], { expectedRevision: 'any' });
        await manager.query(
          `UPDATE access.denials SET recorded = true
            WHERE token_id = $1 AND minute = $2 AND status = $3 AND reason = $4 AND agent_id = $5`,
          [row.token_id, row.minute, row.status, row.reason, row.agent_id],
        );
      }
      if (rows.length > 0) this.logger.log({ msg: 'denials recorded', buckets: rows.length });
      return rows.length;
    });
  }

  private toEvent(row: DenialRow) {
    return {
      eventId: deterministicUuid(
        row.token_id,
        row.minute.toISOString(),
        row.status,
        row.reason,
        row.agent_id,
      ),
      type: 'AccessDenied',
      schemaVersion: 1,
      data: {
        tokenId: row.token_id === 'anonymous' ? null : row.token_id,
        minute: row.minute.toISOString(),
        status: row.status,
        reason: row.reason,
        count: row.count,
        samplePath: row.sample_path,
      },
      metadata: {
        actor: { kind: 'system' as const, name: 'access-guard' },
        agentId: row.agent_id || null,
        correlationId: `denials:${row.minute.toISOString()}`,
        occurredAt: row.minute.toISOString(),
      },
    };
  }
}
