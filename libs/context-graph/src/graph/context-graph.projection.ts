import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import { deepLinks } from '../domain/deep-links';
import { Evidence, evidenceOf } from '../domain/evidence';
import {
  DependencyDeclaredData,
  DeploymentRecordedData,
  ServiceRegisteredData,
} from '../domain/service.decider';
import { TeamRegisteredData } from '../domain/team.decider';
import { CONTEXT_GRAPH_TABLES, contextGraphSchema } from './context-graph.schema';

type NodeKind = 'service' | 'team' | 'person' | 'deployment' | 'incident' | 'monitor';
type EdgeKind = 'owns' | 'member_of' | 'depends_on' | 'deployed_to' | 'affects';

interface NodeWrite {
  kind: NodeKind;
  id: string;
  name: string;
  attributes: Record<string, unknown>;
  evidence: Evidence;
}

interface EdgeWrite {
  kind: EdgeKind;
  from: { kind: NodeKind; id: string };
  to: { kind: NodeKind; id: string };
  evidence: Evidence;
}

/**
 * The incident facts the graph needs, read by name from the incident events;
 * the graph does not depend on the incidents module (it depends on us).
 */
type IncidentFacts = {
  incidentId: string;
  service: string | null;
  at: string;
  title?: string;
  severity?: string;
  kind?: string;
  to?: string;
};

const INCIDENT_STATUS: Record<string, string> = {
  IncidentAcknowledged: 'acknowledged',
  IncidentResolved: 'resolved',
};

/**
 * Builds the context graph from the topology events (teams, services,
 * dependencies, deployments) and the incident events. Deterministic: every
 * value comes from the event, so a rebuild gives the live rows.
 */
export class ContextGraphProjection implements Projection {
  readonly name = 'context-graph';
  readonly schema = contextGraphSchema;
  readonly tables = CONTEXT_GRAPH_TABLES;
  readonly filter = {
    eventTypes: [
      'TeamRegistered',
      'ServiceRegistered',
      'DependencyDeclared',
      'DeploymentRecorded',
      'IncidentOpened',
      'IncidentAcknowledged',
      'IncidentResolved',
      'IncidentSeverityChanged',
    ],
  };

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.applyOne(event, manager);
  }

  private async applyOne(event: RecordedEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'TeamRegistered':
        return this.teamRegistered(event, event.data as TeamRegisteredData, manager);
      case 'ServiceRegistered':
        return this.serviceRegistered(event, event.data as ServiceRegisteredData, manager);
      case 'DependencyDeclared':
        return this.dependencyDeclared(event, event.data as DependencyDeclaredData, manager);
      case 'DeploymentRecorded':
        return this.deploymentRecorded(event, event.data as DeploymentRecordedData, manager);
      case 'IncidentOpened':
        return this.incidentOpened(event, event.data as IncidentFacts, manager);
      default:
        return this.incidentChanged(event, event.data as IncidentFacts, manager);
    }
  }

  private async teamRegistered(
    event: RecordedEvent,
    data: TeamRegisteredData,
    manager: EntityManager,
  ): Promise<void> {
    const evidence = evidenceOf(event, deepLinks.team(data.teamId));
    await upsertNode(manager, event, {
      kind: 'team',
      id: data.teamId,
      name: data.name,
      attributes: { members: data.members.map((member) => member.id) },
      evidence,
    });

    // Registration is whole: the members listed now replace the previous ones.
    await manager.query(
      `DELETE FROM context_graph.edges
        WHERE kind = 'member_of' AND to_kind = 'team' AND to_id = $1`,
      [data.teamId],
    );
    for (const member of data.members) {
      await upsertNode(manager, event, {
        kind: 'person',
        id: member.id,
        name: member.name ?? member.id,
        attributes: { email: member.email },
        evidence,
      });
      await insertEdge(manager, {
        kind: 'member_of',
        from: { kind: 'person', id: member.id },
        to: { kind: 'team', id: data.teamId },
        evidence,
      });
    }
  }

  private async serviceRegistered(
    event: RecordedEvent,
    data: ServiceRegisteredData,
    manager: EntityManager,
  ): Promise<void> {
    const evidence = evidenceOf(event, deepLinks.service(data.serviceId));
    await upsertNode(manager, event, {
      kind: 'service',
      id: data.serviceId,
      name: data.name,
      attributes: { tier: data.tier, ownerTeam: data.ownerTeam },
      evidence,
    });

    await manager.query(
      `DELETE FROM context_graph.edges WHERE kind = 'owns' AND to_kind = 'service' AND to_id = $1`,
      [data.serviceId],
    );
    await insertEdge(manager, {
      kind: 'owns',
      from: { kind: 'team', id: data.ownerTeam },
      to: { kind: 'service', id: data.serviceId },
      evidence,
    });
  }

  private async dependencyDeclared(
    event: RecordedEvent,
    data: DependencyDeclaredData,
    manager: EntityManager,
  ): Promise<void> {
    await insertEdge(manager, {
      kind: 'depends_on',
      from: { kind: 'service', id: data.from },
      to: { kind: 'service', id: data.to },
      evidence: evidenceOf(event, deepLinks.service(data.from)),
    });
  }

  private async deploymentRecorded(
    event: RecordedEvent,
    data: DeploymentRecordedData,
    manager: EntityManager,
  ): Promise<void> {
    const evidence = evidenceOf(event, deepLinks.deployment(data.serviceId, data.deploymentId));
    await upsertNode(manager, event, {
      kind: 'deployment',
      id: data.deploymentId,
      name: `${data.serviceId} ${data.version}`,
      attributes: {
        service: data.serviceId,
        version: data.version,
        deployedAt: data.deployedAt,
        link: data.link,
      },
      evidence,
    });
    await insertEdge(manager, {
      kind: 'deployed_to',
      from: { kind: 'deployment', id: data.deploymentId },
      to: { kind: 'service', id: data.serviceId },
      evidence,
    });
    await manager.query(
      `INSERT INTO context_graph.deployments (id, service, version, deployed_at, link, evidence)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [
        data.deploymentId,
        data.serviceId,
        data.version,
        data.deployedAt,
        data.link,
        JSON.stringify(evidence),
      ],
    );
  }

  private async incidentOpened(
    event: RecordedEvent,
    data: IncidentFacts,
    manager: EntityManager,
  ): Promise<void> {
    const evidence = evidenceOf(event, deepLinks.incident(data.incidentId));
    await upsertNode(manager, event, {
      kind: 'incident',
      id: data.incidentId,
      name: data.title ?? data.incidentId,
      attributes: {
        status: 'triggered',
        severity: data.severity ?? null,
        incidentKind: data.kind ?? 'incident',
        service: data.service,
        openedAt: data.at,
      },
      evidence,
    });
    if (!data.service) return;

    await insertEdge(manager, {
      kind: 'affects',
      from: { kind: 'incident', id: data.incidentId },
      to: { kind: 'service', id: data.service },
      evidence,
    });
  }

  /** Status and severity changes update the incident node; its edges stay. */
  private async incidentChanged(
    event: RecordedEvent,
    data: IncidentFacts,
    manager: EntityManager,
  ): Promise<void> {
    const status = INCIDENT_STATUS[event.type];
    const change = status ? { status } : { severity: data.to ?? null };
    await manager.query(
      `UPDATE context_graph.nodes SET attributes = attributes || $3::jsonb, updated_at = $4
        WHERE kind = $1 AND id = $2`,
      ['incident', data.incidentId, JSON.stringify(change), event.metadata.occurredAt],
    );
  }
}

async function upsertNode(
  manager: EntityManager,
  event: RecordedEvent,
  node: NodeWrite,
): Promise<void> {
  await manager.query(
    `INSERT INTO context_graph.nodes (kind, id, name, attributes, evidence, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (kind, id) DO UPDATE
       SET name = EXCLUDED.name, attributes = EXCLUDED.attributes,
           evidence = EXCLUDED.evidence, updated_at = EXCLUDED.updated_at`,
    [
      node.kind,
      node.id,
      node.name,
      JSON.stringify(node.attributes),
      JSON.stringify(node.evidence),
      event.metadata.occurredAt,
    ],
  );
}

async function insertEdge(manager: EntityManager, edge: EdgeWrite): Promise<void> {
  await manager.query(
    `INSERT INTO context_graph.edges (kind, from_kind, from_id, to_kind, to_id, evidence)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (kind, from_kind, from_id, to_kind, to_id)
       DO UPDATE SET evidence = EXCLUDED.evidence`,
    [
      edge.kind,
      edge.from.kind,
      edge.from.id,
      edge.to.kind,
      edge.to.id,
      JSON.stringify(edge.evidence),
    ],
  );
}
