import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import { RULE_STREAM_PREFIX } from '../domain/detection-rule';
import { RULE_EVENT_TYPES, RuleVersionData } from '../domain/detection-rule.events';
import { ruleCatalogSchema, RULES_TABLE } from './rule-catalog.schema';
import { applyRuleEvent, RuleDetail } from './rule-view';

/** The detection catalog: one row per rule, folded by the same function the API answers with. */
export class RuleCatalogProjection implements Projection {
  readonly name = 'detections.rule-catalog';
  readonly schema = ruleCatalogSchema;
  readonly tables = [RULES_TABLE];
  readonly filter = { streamPrefixes: [RULE_STREAM_PREFIX], eventTypes: [...RULE_EVENT_TYPES] };

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.applyOne(event, manager);
  }

  private async applyOne(event: RecordedEvent, manager: EntityManager): Promise<void> {
    const ruleId = (event.data as { ruleId: string }).ruleId;
    const rows: Array<{ detail: RuleDetail; rule: unknown }> = await manager.query(
      `SELECT detail, rule FROM ${RULES_TABLE} WHERE id = $1 FOR UPDATE`,
      [ruleId],
    );
    const detail = applyRuleEvent(rows[0]?.detail ?? null, event);
    if (!detail) return;

    // A new version brings a new parsed rule; disabling keeps the last one.
    const rule =
      event.type === 'RuleDisabled' ? rows[0]?.rule : (event.data as RuleVersionData).rule;
    await manager.query(
      `INSERT INTO ${RULES_TABLE}
         (id, version, status, level, severity, tactics, techniques, published_at, updated_at,
          rule, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET
         version = EXCLUDED.version, status = EXCLUDED.status, level = EXCLUDED.level,
         severity = EXCLUDED.severity, tactics = EXCLUDED.tactics,
         techniques = EXCLUDED.techniques, updated_at = EXCLUDED.updated_at,
         rule = EXCLUDED.rule, detail = EXCLUDED.detail`,
      [
        detail.id,
        detail.version,
        detail.status,
        detail.level,
        detail.severity,
        detail.mitre.tactics,
        detail.mitre.techniques,
        detail.publishedAt,
        detail.updatedAt,
        JSON.stringify(rule),
        JSON.stringify(detail),
      ],
    );
  }
}
