import { Injectable } from '@nestjs/common';

import { NotFoundError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import { DeepLink, deepLinks } from '../domain/deep-links';
import { Evidence } from '../domain/evidence';

export type NodeRef = {
  kind: string;
  id: string;
  name: string;
  attributes: Record<string, unknown>;
};

export type Neighbour = {
  relation: string;
  /** `outgoing`: this service → the node; `incoming`: the node → this service. */
  direction: 'outgoing' | 'incoming';
  node: NodeRef & { link: DeepLink | null };
  evidence: Evidence;
};

export type ServiceNode = {
  id: string;
  name: string;
  tier: number;
  ownerTeam: string;
  link: DeepLink;
  evidence: Evidence;
};

export type ServiceContext = { service: ServiceNode; neighbours: Neighbour[] };

export type TeamContext = {
  team: { id: string; name: string; link: DeepLink; evidence: Evidence };
  members: Array<{ id: string; name: string; email: string | null; evidence: Evidence }>;
  services: Array<{ id: string; name: string; link: DeepLink; evidence: Evidence }>;
};

export type DeploymentView = {
  id: string;
  service: string;
  version: string;
  at: string;
  link: string | null;
  evidence: Evidence;
};

export type ServiceOwner = {
  service: string;
  team: { id: string; name: string; link: DeepLink };
  evidence: Evidence;
};

export type UpstreamService = {
  id: string;
  name: string;
  depth: number;
  /** The dependency edge that reached it (from a service nearer the start). */
  via: { from: string; to: string; evidence: Evidence };
};

interface NodeRow {
  kind: string;
  id: string;
  name: string;
  attributes: Record<string, unknown>;
  evidence: Evidence;
}

interface NeighbourRow extends NodeRow {
  relation: string;
  direction: 'outgoing' | 'incoming';
  edge_evidence: Evidence;
}

const RECENT_DEPLOYMENTS = 10;
const MAX_UPSTREAM_DEPTH = 10;

/** Reads of the context graph for the API, the blast radius and the analyst. */
@Injectable()
export class ContextGraphReader {
  constructor(private readonly transactions: Transactions) {}

  async listServices(query: { limit: number; cursor?: string }): Promise<{
    data: ServiceNode[];
    nextCursor: string | null;
  }> {
    const after = query.cursor ? decodeCursor(query.cursor) : '';
    const rows: NodeRow[] = await this.transactions.current().query(
      `SELECT kind, id, name, attributes, evidence FROM context_graph.nodes
        WHERE kind = 'service' AND id > $1 ORDER BY id LIMIT $2`,
      [after, query.limit + 1],
    );
    const page = rows.slice(0, query.limit).map(toServiceNode);
    const last = page[page.length - 1];
    return {
      data: page,
      nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
    };
  }

  async service(serviceId: string): Promise<ServiceContext> {
    const node = await this.node('service', serviceId);
    const rows: NeighbourRow[] = await this.transactions.current().query(
      `SELECT * FROM (
         SELECT e.kind AS relation, 'outgoing' AS direction, e.to_kind AS kind, e.to_id AS id,
                COALESCE(n.name, e.to_id) AS name, COALESCE(n.attributes, '{}') AS attributes,
                e.evidence AS edge_evidence
           FROM context_graph.edges e
           LEFT JOIN context_graph.nodes n ON n.kind = e.to_kind AND n.id = e.to_id
          WHERE e.from_kind = 'service' AND e.from_id = $1
         UNION ALL
         SELECT e.kind, 'incoming', e.from_kind, e.from_id, COALESCE(n.name, e.from_id),
                COALESCE(n.attributes, '{}'), e.evidence
           FROM context_graph.edges e
           LEFT JOIN context_graph.nodes n ON n.kind = e.from_kind AND n.id = e.from_id
          WHERE e.to_kind = 'service' AND e.to_id = $1 AND e.kind NOT IN ('deployed_to', 'affects')
         UNION ALL
         SELECT * FROM (
           SELECT 'deployed_to', 'incoming', 'deployment', d.id::text,
                  d.service || ' ' || d.version,
                  jsonb_build_object('service', d.service, 'version', d.version,
                                     'deployedAt', d.deployed_at, 'link', d.link),
                  d.evidence
             FROM context_graph.deployments d
            WHERE d.service = $1 ORDER BY d.deployed_at DESC LIMIT ${RECENT_DEPLOYMENTS}) recent
         UNION ALL
         SELECT e.kind, 'incoming', e.from_kind, e.from_id, n.name, n.attributes, e.evidence
           FROM context_graph.edges e
           JOIN context_graph.nodes n ON n.kind = e.from_kind AND n.id = e.from_id
          WHERE e.to_kind = 'service' AND e.to_id = $1 AND e.kind = 'affects'
            AND n.attributes->>'status' <> 'resolved'
       ) neighbours
       ORDER BY relation, direction, id`,
      [serviceId],
    );

    return {
      service: toServiceNode(node),
      neighbours: rows.map((row) => ({
        relation: row.relation,
        direction: row.direction,
        node: {
          kind: row.kind,
          id: row.id,
          name: row.name,
          attributes: row.attributes,
          link: linkFor(row.kind, row.id, row.attributes),
        },
        evidence: row.edge_evidence,
      })),
    };
  }

  async team(teamId: string): Promise<TeamContext> {
    const node = await this.node('team', teamId);
    const members: Array<NodeRow & { edge_evidence: Evidence }> = await this.transactions
      .current()
      .query(
        `SELECT n.kind, n.id, n.name, n.attributes, n.evidence, e.evidence AS edge_evidence
           FROM context_graph.edges e
           JOIN context_graph.nodes n ON n.kind = 'person' AND n.id = e.from_id
          WHERE e.kind = 'member_of' AND e.to_kind = 'team' AND e.to_id = $1
          ORDER BY n.id`,
        [teamId],
      );
    const services: Array<NodeRow & { edge_evidence: Evidence }> = await this.transactions
      .current()
      .query(
        `SELECT n.kind, n.id, n.name, n.attributes, n.evidence, e.evidence AS edge_evidence
           FROM context_graph.edges e
           JOIN context_graph.nodes n ON n.kind = 'service' AND n.id = e.to_id
          WHERE e.kind = 'owns' AND e.from_kind = 'team' AND e.from_id = $1
          ORDER BY n.id`,
        [teamId],
      );

    return {
      team: {
        id: node.id,
        name: node.name,
        link: deepLinks.team(node.id),
        evidence: node.evidence,
      },
      members: members.map((row) => ({
        id: row.id,
        name: row.name,
        email: typeof row.attributes.email === 'string' ? row.attributes.email : null,
        evidence: row.edge_evidence,
      })),
      services: services.map((row) => ({
        id: row.id,
        name: row.name,
        link: deepLinks.service(row.id),
        evidence: row.edge_evidence,
      })),
    };
  }

  async deployment(deploymentId: string): Promise<DeploymentView> {
    const [row] = await this.deploymentRows(`d.id = $1`, [deploymentId]);
    if (!row) throw new NotFoundError('deployment', deploymentId);
    return row;
  }

  /** Deployments of the services within [from, to], newest first. */
  async deploymentsOf(services: string[], from: Date, to: Date): Promise<DeploymentView[]> {
    if (services.length === 0) return [];
    return this.deploymentRows(
      `d.service = ANY($1) AND d.deployed_at >= $2 AND d.deployed_at <= $3`,
      [services, from, to],
    );
  }

  async ownersOf(services: string[]): Promise<ServiceOwner[]> {
    if (services.length === 0) return [];
    const rows: Array<{
      service: string;
      team_id: string;
      team_name: string | null;
      evidence: Evidence;
    }> = await this.transactions.current().query(
      `SELECT e.to_id AS service, e.from_id AS team_id, t.name AS team_name, e.evidence
           FROM context_graph.edges e
           LEFT JOIN context_graph.nodes t ON t.kind = 'team' AND t.id = e.from_id
          WHERE e.kind = 'owns' AND e.to_kind = 'service' AND e.to_id = ANY($1)
          ORDER BY e.to_id, e.from_id`,
      [services],
    );
    return rows.map((row) => ({
      service: row.service,
      team: {
        id: row.team_id,
        name: row.team_name ?? row.team_id,
        link: deepLinks.team(row.team_id),
      },
      evidence: row.evidence,
    }));
  }

  /**
   * What a service depends on, transitively, nearest first: the services
   * whose failure or change could explain its trouble. Cycle-safe.
   */
  async upstreamOf(serviceId: string, maxDepth: number): Promise<UpstreamService[]> {
    const depth = Math.min(Math.max(1, maxDepth), MAX_UPSTREAM_DEPTH);
    const rows: Array<{
      id: string;
      name: string | null;
      depth: number;
      via: string;
      evidence: Evidence;
    }> = await this.transactions.current().query(
      `WITH RECURSIVE walk(service_id, depth, via) AS (
             SELECT e.to_id, 1, e.from_id FROM context_graph.edges e
              WHERE e.kind = 'depends_on' AND e.from_id = $1
           UNION
             SELECT e.to_id, w.depth + 1, e.from_id
               FROM walk w
               JOIN context_graph.edges e ON e.kind = 'depends_on' AND e.from_id = w.service_id
              WHERE w.depth < $2
         ),
         nearest AS (
           SELECT DISTINCT ON (service_id) service_id, depth, via
             FROM walk WHERE service_id <> $1
            ORDER BY service_id, depth, via
         )
         SELECT n.service_id AS id, s.name, n.depth, n.via, e.evidence
           FROM nearest n
           JOIN context_graph.edges e
             ON e.kind = 'depends_on' AND e.from_id = n.via AND e.to_id = n.service_id
           LEFT JOIN context_graph.nodes s ON s.kind = 'service' AND s.id = n.service_id
          ORDER BY n.depth, n.service_id`,
      [serviceId, depth],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name ?? row.id,
      depth: row.depth,
      via: { from: row.via, to: row.id, evidence: row.evidence },
    }));
  }

  private async deploymentRows(where: string, params: unknown[]): Promise<DeploymentView[]> {
    const rows: Array<{
      id: string;
      service: string;
      version: string;
      deployed_at: Date;
      link: string | null;
      evidence: Evidence;
    }> = await this.transactions.current().query(
      `SELECT d.id, d.service, d.version, d.deployed_at, d.link, d.evidence
         FROM context_graph.deployments d WHERE ${where}
        ORDER BY d.deployed_at DESC, d.id`,
      params,
    );
    return rows.map((row) => ({
      id: row.id,
      service: row.service,
      version: row.version,
      at: row.deployed_at.toISOString(),
      link: row.link,
      evidence: row.evidence,
    }));
  }

  private async node(kind: string, id: string): Promise<NodeRow> {
    const [row]: NodeRow[] = await this.transactions.current().query(
      `SELECT kind, id, name, attributes, evidence FROM context_graph.nodes
        WHERE kind = $1 AND id = $2`,
      [kind, id],
    );
    if (!row) throw new NotFoundError(kind, id);
    return row;
  }
}

function toServiceNode(row: NodeRow): ServiceNode {
  return {
    id: row.id,
    name: row.name,
    tier: Number(row.attributes.tier),
    ownerTeam: String(row.attributes.ownerTeam),
    link: deepLinks.service(row.id),
    evidence: row.evidence,
  };
}

function linkFor(kind: string, id: string, attributes: Record<string, unknown>): DeepLink | null {
  switch (kind) {
    case 'service':
      return deepLinks.service(id);
    case 'team':
      return deepLinks.team(id);
    case 'incident':
      return deepLinks.incident(id);
    case 'deployment':
      return deepLinks.deployment(String(attributes.service ?? ''), id);
    default:
      return null;
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(decoded)) {
    throw new ValidationError('cursor is not one this API gave out', [
      { field: 'cursor', message: 'invalid' },
    ]);
  }
  return decoded;
}
