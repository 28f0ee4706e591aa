import { Injectable } from '@nestjs/common';

import { Clock, FieldError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import { Aggregation } from '../domain';
import { METRIC_POINTS_TABLE } from '../read-model/monitors.schema';

export interface MetricPoint {
  service: string;
  metric: string;
  value: number;
  /** ISO-8601; now when left out. */
  at?: string;
}

const MINUTE_MS = 60_000;
/** Points are kept this long: longer than the widest threshold window (a day). */
export const METRIC_RETENTION_MS = 8 * 24 * 60 * MINUTE_MS;
const MAX_AGE_MS = 7 * 24 * 60 * MINUTE_MS;
const MAX_AHEAD_MS = 5 * MINUTE_MS;

const SQL_AGGREGATES: Record<Aggregation, string> = {
  avg: 'avg(value)',
  min: 'min(value)',
  max: 'max(value)',
  sum: 'sum(value)',
  count: 'count(*)',
  last: '(array_agg(value ORDER BY at DESC))[1]',
};

/**
 * Metric points for threshold monitors. They are telemetry, not decisions:
 * stored as rows (no event each), read by the evaluations, purged after
 * eight days.
 */
@Injectable()
export class MetricPoints {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  async ingest(points: MetricPoint[]): Promise<{ accepted: number }> {
    const now = this.clock.now();
    const rows = points.map((point) => ({ ...point, at: point.at ?? now.toISOString() }));
    const errors: FieldError[] = [];
    rows.forEach((point, index) => {
      const at = Date.parse(point.at);
      if (at < now.getTime() - MAX_AGE_MS) {
        errors.push({ field: `points.${index}.at`, message: 'must be within the last 7 days' });
      } else if (at > now.getTime() + MAX_AHEAD_MS) {
        errors.push({ field: `points.${index}.at`, message: 'must not be in the future' });
      }
    });
    if (errors.length > 0)
      throw new ValidationError('some points are out of range; none stored', errors);

    await this.transactions.current().query(
      `INSERT INTO ${METRIC_POINTS_TABLE} (service, metric, at, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[])`,
      [
        rows.map((point) => point.service),
        rows.map((point) => point.metric),
        rows.map((point) => point.at),
        rows.map((point) => point.value),
      ],
    );
    return { accepted: rows.length };
  }

  /**
   * The aggregate of a series over (from, to]; null when no point falls in it
   * (except `count`, which is then 0: a silent series can be what to alert on).
   */
  async aggregate(
    series: { service: string; metric: string; aggregation: Aggregation },
    from: Date,
    to: Date,
  ): Promise<{ value: number | null; points: number }> {
    const [row]: Array<{ value: number | string | null; points: string }> = await this.transactions
      .current()
      .query(
        `SELECT ${SQL_AGGREGATES[series.aggregation]} AS value, count(*) AS points
           FROM ${METRIC_POINTS_TABLE}
          WHERE service = $1 AND metric = $2 AND at > $3 AND at <= $4`,
        [series.service, series.metric, from, to],
      );
    const points = Number(row.points);
    if (row.value === null) return { value: series.aggregation === 'count' ? 0 : null, points };
    return { value: Number(row.value), points };
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    const result: [unknown[], number] = await this.transactions
      .current()
      .query(`DELETE FROM ${METRIC_POINTS_TABLE} WHERE at < $1`, [cutoff]);
    return result[1];
  }
}
