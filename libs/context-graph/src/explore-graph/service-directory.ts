import { Injectable } from '@nestjs/common';

import { Transactions } from '@observe/database';

export type KnownService = { id: string; name: string; ownerTeam: string; tier: number };

/**
 * Which services exist, from the context graph's read model. Other modules
 * (alert ingestion, monitors) ask it before they accept a service id.
 */
@Injectable()
export class ServiceDirectory {
  constructor(private readonly transactions: Transactions) {}

  async find(serviceId: string): Promise<KnownService | undefined> {
    const [row]: Array<{ id: string; name: string; attributes: Record<string, unknown> }> =
      await this.transactions
        .current()
        .query(
          `SELECT id, name, attributes FROM context_graph.nodes WHERE kind = 'service' AND id = $1`,
          [serviceId],
        );
    if (!row) return undefined;
    return {
      id: row.id,
      name: row.name,
      ownerTeam: String(row.attributes.ownerTeam),
      tier: Number(row.attributes.tier),
    };
  }
}
