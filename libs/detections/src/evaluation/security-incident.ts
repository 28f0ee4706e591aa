import { OpenIncidentInput } from '@observe/incidents';

import { Firing } from './rule-evaluator';

export interface EvidenceEvent {
  id: string;
  occurredAt: string;
  event: Record<string, unknown>;
}

/** An evidence event larger than this is cited by id only; the detection shows it whole. */
const MAX_EVIDENCE_EVENT_BYTES = 4096;
const MAX_TITLE = 500;

/**
 * The security incident a firing opens: the rule's severity, a title naming
 * the group, the first matching events as evidence, links to the rest.
 */
export function securityIncidentFor(
  firing: Firing,
  evidence: EvidenceEvent[],
  maxEvidence: number,
): OpenIncidentInput {
  const { rule } = firing;
  const grouped = firing.groupBy && firing.group ? ` (${firing.groupBy} ${firing.group})` : '';
  const shown = evidence.slice(0, maxEvidence);
  return {
    kind: 'security',
    title: `${rule.title}${grouped}`.slice(0, MAX_TITLE),
    severity: rule.severity,
    service: null,
    summary: summaryOf(firing),
    source: 'siem',
    links: [
      {
        href: `/api/v1/siem/detections/${firing.detectionId}`,
        text: 'The detection with every matching event',
      },
      { href: `/api/v1/siem/rules/${firing.ruleId}`, text: `Detection rule: ${rule.title}` },
    ],
    details: {
      detectionId: firing.detectionId,
      rule: {
        id: firing.ruleId,
        version: firing.ruleVersion,
        title: rule.title,
        level: rule.level,
        mitre: rule.mitre,
      },
      groupBy: firing.groupBy,
      group: firing.group,
      count: firing.count,
      window: {
        start: new Date(firing.windowStartMs).toISOString(),
        end: new Date(firing.windowEndMs).toISOString(),
      },
      evidence: shown.map(compact),
      evidenceOmitted: evidence.length - shown.length,
    },
  };
}

function summaryOf(firing: Firing): string {
  const end = new Date(firing.windowEndMs).toISOString();
  const version = `rule "${firing.rule.title}" v${firing.ruleVersion}`;
  if (firing.windowStartMs === firing.windowEndMs) return `An event at ${end} matched ${version}.`;

  const start = new Date(firing.windowStartMs).toISOString();
  const window = `(${start}, ${end}]`;
  return `${firing.count} matching events in ${window} crossed the threshold of ${version}.`;
}

function compact(evidence: EvidenceEvent) {
  const size = Buffer.byteLength(JSON.stringify(evidence.event), 'utf8');
  if (size <= MAX_EVIDENCE_EVENT_BYTES) return evidence;
  return { id: evidence.id, occurredAt: evidence.occurredAt, event: null, truncated: true };
}
