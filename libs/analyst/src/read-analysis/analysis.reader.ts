import { Injectable } from '@nestjs/common';

import { NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';
import { IncidentReader, IncidentVerdict } from '@observe/incidents';

export type AnalysisAnswer =
  | { status: 'pending'; incidentId: string }
  | ({
      incidentId: string;
      analyzedAt: string;
      /** The IncidentAnalyzed event that holds the verdict, to cite. */
      eventId: string;
      position: string;
    } & IncidentVerdict);

@Injectable()
export class AnalysisReader {
  constructor(
    private readonly transactions: Transactions,
    private readonly incidents: IncidentReader,
  ) {}

  async forIncident(incidentId: string): Promise<AnalysisAnswer> {
    const [row]: Array<{
      verdict: IncidentVerdict;
      event_id: string;
      position: string;
      analyzed_at: Date;
    }> = await this.transactions.current().query(
      `SELECT verdict, event_id, position, analyzed_at FROM analyst.incident_analyses
        WHERE incident_id = $1`,
      [incidentId],
    );
    if (row) {
      return {
        incidentId,
        analyzedAt: row.analyzed_at.toISOString(),
        eventId: row.event_id,
        position: row.position,
        ...row.verdict,
      };
    }

    if (!(await this.incidents.find(incidentId))) throw new NotFoundError('incident', incidentId);
    return { status: 'pending', incidentId };
  }
}
