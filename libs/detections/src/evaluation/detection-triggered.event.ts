import { DomainEvent } from '@observe/commands';

import { IncidentSeverity, MitreAttack, SigmaLevel } from '../sigma';
import { Firing } from './rule-evaluator';

export const DETECTION_STREAM_PREFIX = 'detection-';

export function detectionStreamId(detectionId: string): string {
  return `${DETECTION_STREAM_PREFIX}${detectionId}`;
}

/**
 * A rule fired. Self-describing for subscribers: the rule version, the group,
 * the window, the matching events (ids and times; bodies stay in the
 * ingestion table, linked from the detection) and the incident it opened.
 */
export type DetectionTriggeredData = {
  detectionId: string;
  ruleId: string;
  ruleVersion: number;
  ruleTitle: string;
  level: SigmaLevel;
  severity: IncidentSeverity;
  mitre: MitreAttack;
  groupBy: string | null;
  group: string | null;
  count: number;
  windowStart: string;
  windowEnd: string;
  evidence: Array<{ securityEventId: string; occurredAt: string }>;
  incidentId: string;
  at: string;
};

export type DetectionTriggered = DomainEvent<'DetectionTriggered', DetectionTriggeredData>;

export function detectionTriggered(
  firing: Firing,
  incidentId: string,
  at: Date,
): DetectionTriggered {
  return {
    type: 'DetectionTriggered',
    data: {
      detectionId: firing.detectionId,
      ruleId: firing.ruleId,
      ruleVersion: firing.ruleVersion,
      ruleTitle: firing.rule.title,
      level: firing.rule.level,
      severity: firing.rule.severity,
      mitre: firing.rule.mitre,
      groupBy: firing.groupBy,
      group: firing.group,
      count: firing.count,
      windowStart: new Date(firing.windowStartMs).toISOString(),
      windowEnd: new Date(firing.windowEndMs).toISOString(),
      evidence: firing.evidence.map((ref) => ({
        securityEventId: ref.id,
        occurredAt: new Date(ref.occurredAtMs).toISOString(),
      })),
      incidentId,
      at: at.toISOString(),
    },
  };
}
