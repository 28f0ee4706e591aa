import { EntityManager } from 'typeorm';

import { ValidationError } from '@observe/core';

import { CompiledRule, ThresholdWindow, ThresholdWindowSnapshot } from '../sigma';
import { ActiveRule } from '../rules/catalog/rule-catalog.queries';
import {
  DETECTOR_STATE_TABLE,
  RULE_WINDOWS_TABLE,
  SECURITY_EVENTS_TABLE,
} from '../security-events/security-events.schema';
import { CandidateEvent, RuleInEffect } from './rule-evaluator';

const DETECTOR = 'detector';

/** Where the detector stands: after this (transaction id, sequence) of the ingestion table. */
export interface DetectorCheckpoint {
  transactionId: string;
  seq: string;
  /** Batches committed so far; tells a process whether its cached windows are current. */
  batches: number;
}

export interface ReadEvent extends CandidateEvent {
  transactionId: string;
  seq: string;
}

export interface WindowRow {
  ruleId: string;
  ruleVersion: number;
  snapshot: unknown;
}

/** The detector's rows, always read and written in the transaction that evaluates a batch. */
export const detectorState = {
  async lockCheckpoint(manager: EntityManager): Promise<DetectorCheckpoint> {
    await manager.query(
      `INSERT INTO ${DETECTOR_STATE_TABLE} (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`,
      [DETECTOR],
    );
    const rows: Array<{ position: string; batches: string }> = await manager.query(
      `SELECT position, batches FROM ${DETECTOR_STATE_TABLE} WHERE name = $1 FOR UPDATE`,
      [DETECTOR],
    );
    const row = rows[0] ?? { position: 'start', batches: '0' };
    const [transactionId, seq] = row.position === 'start' ? ['0', '0'] : row.position.split('-');
    return { transactionId: transactionId ?? '0', seq: seq ?? '0', batches: Number(row.batches) };
  },

  /** Committed rows older than every running transaction, so no late commit is skipped. */
  async readAfter(
    manager: EntityManager,
    after: DetectorCheckpoint,
    limit: number,
  ): Promise<ReadEvent[]> {
    const rows: Array<{
      transaction_id: string;
      seq: string;
      id: string;
      occurred_at: Date;
      event: Record<string, unknown>;
    }> = await manager.query(
      `SELECT transaction_id::text AS transaction_id, seq, id, occurred_at, event
         FROM ${SECURITY_EVENTS_TABLE}
        WHERE (transaction_id, seq) > ($1::text::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, seq
        LIMIT $3`,
      [after.transactionId, after.seq, limit],
    );
    return rows.map((row) => ({
      transactionId: row.transaction_id,
      seq: String(row.seq),
      id: row.id,
      occurredAtMs: row.occurred_at.getTime(),
      event: row.event,
    }));
  },

  async saveCheckpoint(
    manager: EntityManager,
    last: ReadEvent,
    evaluated: number,
    detections: number,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${DETECTOR_STATE_TABLE}
          SET position = $2, batches = batches + 1, events_evaluated = events_evaluated + $3,
              detections = detections + $4, updated_at = now()
        WHERE name = $1`,
      [DETECTOR, `${last.transactionId}-${last.seq}`, evaluated, detections],
    );
  },

  async loadWindows(manager: EntityManager): Promise<WindowRow[]> {
    const rows: Array<{ rule_id: string; rule_version: number; snapshot: unknown }> =
      await manager.query(`SELECT rule_id, rule_version, snapshot FROM ${RULE_WINDOWS_TABLE}`);
    return rows.map((row) => ({
      ruleId: row.rule_id,
      ruleVersion: row.rule_version,
      snapshot: row.snapshot,
    }));
  },

  async saveWindows(
    manager: EntityManager,
    windows: Array<{ ruleId: string; ruleVersion: number; snapshot: ThresholdWindowSnapshot }>,
    activeRuleIds: string[],
    at: Date,
  ): Promise<void> {
    for (const window of windows) {
      await manager.query(
        `INSERT INTO ${RULE_WINDOWS_TABLE} (rule_id, rule_version, snapshot, updated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (rule_id) DO UPDATE SET rule_version = EXCLUDED.rule_version,
           snapshot = EXCLUDED.snapshot, updated_at = EXCLUDED.updated_at`,
        [window.ruleId, window.ruleVersion, JSON.stringify(window.snapshot), at],
      );
    }
    // Windows of disabled rules can never fire again.
    await manager.query(`DELETE FROM ${RULE_WINDOWS_TABLE} WHERE NOT (rule_id = ANY($1::uuid[]))`, [
      activeRuleIds,
    ]);
  },
};

/**
 * The rules in effect: compiled active versions (those that no longer compile
 * are left out), each counting rule with its window: the cached one, else the
 * stored snapshot taken for the same version, else a fresh one.
 */
export function rulesInEffect(
  active: ActiveRule[],
  compile: (rule: ActiveRule) => CompiledRule | undefined,
  stored: Map<string, { version: number; window: ThresholdWindow }>,
  snapshots: WindowRow[] | undefined,
): RuleInEffect[] {
  const bySnapshot = new Map((snapshots ?? []).map((row) => [row.ruleId, row]));
  return active.flatMap((rule): RuleInEffect[] => {
    const compiled = compile(rule);
    if (!compiled) return [];
    const aggregation = compiled.aggregation;
    if (!aggregation) return [{ id: rule.id, version: rule.version, compiled }];

    const cached = stored.get(rule.id);
    if (cached && cached.version === rule.version) {
      return [{ id: rule.id, version: rule.version, compiled, window: cached.window }];
    }
    const row = bySnapshot.get(rule.id);
    const window =
      row && row.ruleVersion === rule.version
        ? restore(row.snapshot, aggregation)
        : new ThresholdWindow(aggregation);
    return [{ id: rule.id, version: rule.version, compiled, window }];
  });
}

function restore(snapshot: unknown, aggregation: ThresholdWindow['aggregation']): ThresholdWindow {
  try {
    return ThresholdWindow.fromJSON(aggregation, snapshot);
  } catch (error) {
    if (error instanceof ValidationError) return new ThresholdWindow(aggregation);
    throw error;
  }
}
