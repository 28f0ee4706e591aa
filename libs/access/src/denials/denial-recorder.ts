import { Injectable, Logger } from '@nestjs/common';

import { Clock } from '@observe/core';
import { Transactions } from '@observe/database';

export interface Denial {
  tokenId?: string;
  agentId?: string;
  status: 401 | 403 | 429;
  reason: string;
  path: string;
}

/**
 * Denied requests become security events, but a runaway agent must not flood
 * the trail: they are counted per token, minute and reason here, and the
 * flusher turns each finished minute into one `AccessDenied` event.
 */
@Injectable()
export class DenialRecorder {
  private readonly logger = new Logger(DenialRecorder.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  record(denial: Denial): void {
    const minute = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000);
    void this.transactions
      .detached(() =>
        this.transactions.dataSource.query(
          `INSERT INTO access.denials
             (token_id, minute, status, reason, agent_id, count, sample_path)
           VALUES ($1, $2, $3, $4, $5, 1, $6)
           ON CONFLICT (token_id, minute, status, reason, agent_id)
           DO UPDATE SET count = access.denials.count + 1`,
          [
            denial.tokenId ?? 'anonymous',
            minute,
            denial.status,
            denial.reason,
            denial.agentId ?? '',
            denial.path.slice(0, 200),
          ],
        ),
      )
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'could not count a denial', tokenId: denial.tokenId, err: error }),
      );
  }
}
