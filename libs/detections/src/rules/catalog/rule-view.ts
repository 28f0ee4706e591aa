import { RecordedEvent } from '@observe/event-store';

import { IncidentSeverity, MitreAttack, SigmaLevel, SigmaLogSource } from '../../sigma';
import { RuleStatus } from '../domain/detection-rule';
import {
  RuleDisabledData,
  RulePublishedData,
  RuleRevisedData,
  RuleVersionData,
} from '../domain/detection-rule.events';

/** Who made a change, from the event's metadata: the audit answer to "which agent did this". */
export type ChangedBy = {
  eventId: string;
  actor: { kind: string; name: string | null; tokenId: string | null };
  agentId: string | null;
  conversationId: string | null;
  at: string;
};

export type RuleVersionView = {
  version: number;
  title: string;
  level: SigmaLevel;
  condition: string;
  note: string | null;
  source: string;
  publishedAt: string;
  by: ChangedBy;
};

export type RuleSummary = {
  id: string;
  title: string;
  status: RuleStatus;
  version: number;
  level: SigmaLevel;
  severity: IncidentSeverity;
  sigmaStatus: string | null;
  author: string | null;
  description: string | null;
  mitre: MitreAttack;
  tags: string[];
  logsource: SigmaLogSource;
  condition: string;
  publishedAt: string;
  updatedAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
  publishedBy: ChangedBy;
  lastChangedBy: ChangedBy;
  urls: { self: string; versions: string; detections: string };
};

/** The catalog entry of one rule with every version, as GET and the mutations answer it. */
export type RuleDetail = RuleSummary & { source: string; versions: RuleVersionView[] };

export function changedBy(event: RecordedEvent): ChangedBy {
  const { actor, agentId, conversationId, occurredAt } = event.metadata;
  return {
    eventId: event.eventId,
    actor: { kind: actor.kind, name: actor.name ?? null, tokenId: actor.tokenId ?? null },
    agentId: agentId ?? null,
    conversationId: conversationId ?? null,
    at: occurredAt,
  };
}

/**
 * Folds one recorded rule event into the catalog entry. Pure and fed only by
 * the event, so the projection and a rebuild give the same entry.
 */
export function applyRuleEvent(detail: RuleDetail | null, event: RecordedEvent): RuleDetail | null {
  switch (event.type) {
    case 'RulePublished':
      return published(event.data as RulePublishedData, changedBy(event));
    case 'RuleRevised':
      return detail && revised(detail, event.data as RuleRevisedData, changedBy(event));
    case 'RuleDisabled':
      return detail && disabled(detail, event.data as RuleDisabledData, changedBy(event));
    default:
      return detail;
  }
}

/** The list entry: the detail without the sources, which can be large. */
export function summaryOf(detail: RuleDetail): RuleSummary {
  return {
    id: detail.id,
    title: detail.title,
    status: detail.status,
    version: detail.version,
    level: detail.level,
    severity: detail.severity,
    sigmaStatus: detail.sigmaStatus,
    author: detail.author,
    description: detail.description,
    mitre: detail.mitre,
    tags: detail.tags,
    logsource: detail.logsource,
    condition: detail.condition,
    publishedAt: detail.publishedAt,
    updatedAt: detail.updatedAt,
    disabledAt: detail.disabledAt,
    disabledReason: detail.disabledReason,
    publishedBy: detail.publishedBy,
    lastChangedBy: detail.lastChangedBy,
    urls: detail.urls,
  };
}

function published(data: RulePublishedData, by: ChangedBy): RuleDetail {
  const api = `/api/v1/siem/rules/${data.ruleId}`;
  return {
    ...versionFields(data),
    id: data.ruleId,
    status: 'active',
    publishedAt: data.at,
    disabledAt: null,
    disabledReason: null,
    publishedBy: by,
    lastChangedBy: by,
    urls: {
      self: api,
      versions: `${api}/versions`,
      detections: `/api/v1/siem/detections?ruleId=${data.ruleId}`,
    },
    versions: [versionView(data, null, by)],
  };
}

function revised(detail: RuleDetail, data: RuleRevisedData, by: ChangedBy): RuleDetail {
  return {
    ...detail,
    ...versionFields(data),
    lastChangedBy: by,
    versions: [...detail.versions, versionView(data, data.note, by)],
  };
}

function disabled(detail: RuleDetail, data: RuleDisabledData, by: ChangedBy): RuleDetail {
  return {
    ...detail,
    status: 'disabled',
    updatedAt: data.at,
    disabledAt: data.at,
    disabledReason: data.reason,
    lastChangedBy: by,
  };
}

function versionFields(data: RuleVersionData) {
  return {
    title: data.title,
    version: data.version,
    level: data.level,
    severity: data.severity,
    sigmaStatus: data.sigmaStatus ?? null,
    author: data.author,
    description: data.description,
    mitre: data.mitre,
    tags: data.tags,
    logsource: data.logsource,
    condition: data.condition,
    source: data.source,
    updatedAt: data.at,
  };
}

function versionView(data: RuleVersionData, note: string | null, by: ChangedBy): RuleVersionView {
  return {
    version: data.version,
    title: data.title,
    level: data.level,
    condition: data.condition,
    note,
    source: data.source,
    publishedAt: data.at,
    by,
  };
}
