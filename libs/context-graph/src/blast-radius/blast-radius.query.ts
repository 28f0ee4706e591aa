import { Injectable } from '@nestjs/common';

import { Clock, NotFoundError } from '@observe/core';
import { Transactions } from '@observe/database';

import { DeepLink, deepLinks } from '../domain/deep-links';
import { Evidence } from '../domain/evidence';
import { OnCallContact, OnCallLookup } from './on-call-lookup';

export const DEFAULT_BLAST_DEPTH = 6;
export const MAX_BLAST_DEPTH = 10;

export type DependencyHop = {
  from: string;
  to: string;
  relation: 'depends_on';
  evidence: Evidence;
};

export type Owner = { team: { id: string; name: string; link: DeepLink }; evidence: Evidence };

export type OpenIncidentRef = {
  id: string;
  title: string;
  status: string;
  severity: string | null;
  link: DeepLink;
  evidence: Evidence;
};

export type ImpactedService = {
  service: { id: string; name: string; tier: number | null; link: DeepLink };
  depth: number;
  /** Service ids from the incident's service out to this one; each depends on the one before. */
  path: string[];
  /**
   * The dependency that brings this service in: it depends on the previous
   * service of `path`. The other hops are the edges of the entries on the path.
   */
  edge: DependencyHop;
  owners: Owner[];
  onCall: OnCallContact[];
  openIncidents: OpenIncidentRef[];
};

export type BlastRadius = {
  incident: {
    id: string;
    title: string;
    status: string;
    severity: string | null;
    service: string | null;
    link: DeepLink;
    evidence: Evidence;
  };
  origin: {
    service: { id: string; name: string; link: DeepLink } | null;
    owners: Owner[];
    onCall: OnCallContact[];
  };
  depthLimit: number;
  /** True when services lie beyond the depth limit. */
  truncated: boolean;
  impacted: ImpactedService[];
};

interface ImpactRow {
  service_id: string;
  depth: number;
  via: string | null;
  evidence: Evidence | null;
  name: string | null;
  attributes: Record<string, unknown> | null;
  owner_id: string | null;
  owner_name: string | null;
  owner_evidence: Evidence | null;
  open_incidents: OpenIncidentRef[] | null;
  beyond: boolean;
}

interface IncidentRow {
  id: string;
  name: string;
  attributes: Record<string, unknown>;
  evidence: Evidence;
}

/**
 * One statement for the whole answer. Breadth-first over `depends_on` edges
 * in reverse: rows are deduplicated per (service, depth), so a cycle revisits
 * a service at most once per level and the walk is bounded by the depth (cost
 * grows with edges x depth, never with the number of paths). Each service
 * keeps its nearest depth and one parent a level nearer (the lowest id, so
 * answers are stable), from which its path is rebuilt; then its owner and open
 * incidents. The answer was cut when a service at the limit has a dependent
 * not seen yet. The incident's own service comes back at depth 0, for its owners.
 */
export const BLAST_RADIUS_SQL = `
  WITH RECURSIVE walk(service_id, depth) AS (
      SELECT e.from_id, 1 FROM context_graph.edges e
       WHERE e.kind = 'depends_on' AND e.to_id = $1
    UNION
      SELECT e.from_id, w.depth + 1
        FROM walk w
        JOIN context_graph.edges e ON e.kind = 'depends_on' AND e.to_id = w.service_id
       WHERE w.depth < $2
  ),
  nearest AS (
    SELECT service_id, min(depth) AS depth FROM walk WHERE service_id <> $1 GROUP BY service_id
  ),
  parents AS (
    SELECT DISTINCT ON (n.service_id) n.service_id, n.depth, e.to_id AS via, e.evidence
      FROM nearest n
      JOIN context_graph.edges e ON e.kind = 'depends_on' AND e.from_id = n.service_id
      LEFT JOIN nearest p ON p.service_id = e.to_id
     WHERE ((n.depth = 1 AND e.to_id = $1) OR p.depth = n.depth - 1)
     ORDER BY n.service_id, e.to_id
  ),
  impacted AS (
    SELECT service_id, depth, via, evidence FROM parents
    UNION ALL
    SELECT $1, 0, NULL, NULL::json
  ),
  open_incidents AS (
    SELECT a.to_id AS service_id,
           json_agg(json_build_object(
             'id', n.id, 'title', n.name, 'status', n.attributes->>'status',
             'severity', n.attributes->>'severity',
             'link', json_build_object('api', '/api/v1/incidents/' || n.id,
                                       'product', '/incidents/' || n.id),
             'evidence', a.evidence)
           ORDER BY n.attributes->>'openedAt' DESC, n.id) AS list
      FROM impacted i
      JOIN context_graph.edges a
        ON a.kind = 'affects' AND a.to_kind = 'service' AND a.to_id = i.service_id
      JOIN context_graph.nodes n ON n.kind = 'incident' AND n.id = a.from_id
     WHERE i.depth > 0 AND n.id <> $3 AND n.attributes->>'status' <> 'resolved'
     GROUP BY a.to_id
  )
  SELECT i.service_id, i.depth, i.via, i.evidence, s.name, s.attributes,
         o.from_id AS owner_id, t.name AS owner_name, o.evidence AS owner_evidence,
         oi.list AS open_incidents,
         EXISTS (
           SELECT 1 FROM nearest n
             JOIN context_graph.edges d ON d.kind = 'depends_on' AND d.to_id = n.service_id
            WHERE n.depth = $2 AND d.from_id <> $1
              AND NOT EXISTS (SELECT 1 FROM nearest m WHERE m.service_id = d.from_id)
         ) AS beyond
    FROM impacted i
    LEFT JOIN context_graph.nodes s ON s.kind = 'service' AND s.id = i.service_id
    LEFT JOIN context_graph.edges o
      ON o.kind = 'owns' AND o.to_kind = 'service' AND o.to_id = i.service_id
    LEFT JOIN context_graph.nodes t ON t.kind = 'team' AND t.id = o.from_id
    LEFT JOIN open_incidents oi ON oi.service_id = i.service_id
   ORDER BY i.depth, i.service_id, o.from_id`;

@Injectable()
export class BlastRadiusQuery {
  constructor(
    private readonly transactions: Transactions,
    private readonly onCall: OnCallLookup,
    private readonly clock: Clock,
  ) {}

  async forIncident(incidentId: string, depthLimit = DEFAULT_BLAST_DEPTH): Promise<BlastRadius> {
    const incident = await this.incident(incidentId);
    const service =
      typeof incident.attributes.service === 'string' ? incident.attributes.service : null;
    const rows: ImpactRow[] = service
      ? await this.transactions.current().query(BLAST_RADIUS_SQL, [service, depthLimit, incidentId])
      : [];

    const services = groupBy(rows, (row) => row.service_id);
    const ownersOf = (id: string): Owner[] => (services.get(id) ?? []).flatMap(toOwner);
    const owners = rows.flatMap(toOwner);
    const onCall = await this.onCall.contactsFor({
      services: [...services.keys()],
      teams: [...new Set(owners.map((owner) => owner.team.id))],
      at: this.clock.now(),
    });
    const contactsByKey = groupBy(onCall, (contact) => `${contact.for.kind}:${contact.for.id}`);
    const contactsOf = (id: string): OnCallContact[] => [
      ...(contactsByKey.get(`service:${id}`) ?? []),
      ...ownersOf(id).flatMap((owner) => contactsByKey.get(`team:${owner.team.id}`) ?? []),
    ];

    const origin = rows.find((row) => row.depth === 0);
    const impacted = [...services.values()]
      .map((group) => group[0])
      .filter((row): row is ImpactRow & { via: string; evidence: Evidence } => row.depth > 0);
    const parents = new Map(impacted.map((row) => [row.service_id, row]));

    return {
      incident: {
        id: incident.id,
        title: incident.name,
        status: String(incident.attributes.status),
        severity:
          typeof incident.attributes.severity === 'string' ? incident.attributes.severity : null,
        service,
        link: deepLinks.incident(incident.id),
        evidence: incident.evidence,
      },
      origin: {
        service:
          service === null
            ? null
            : { id: service, name: origin?.name ?? service, link: deepLinks.service(service) },
        owners: service ? ownersOf(service) : [],
        onCall: service ? contactsOf(service) : [],
      },
      depthLimit,
      truncated: origin?.beyond ?? false,
      impacted: impacted.map((row) => ({
        service: {
          id: row.service_id,
          name: row.name ?? row.service_id,
          tier:
            row.attributes && row.attributes.tier !== undefined
              ? Number(row.attributes.tier)
              : null,
          link: deepLinks.service(row.service_id),
        },
        depth: row.depth,
        path: service ? [...pathTo(row.service_id, parents), row.service_id] : [],
        edge: { from: row.service_id, to: row.via, relation: 'depends_on', evidence: row.evidence },
        owners: ownersOf(row.service_id),
        onCall: contactsOf(row.service_id),
        openIncidents: row.open_incidents ?? [],
      })),
    };
  }

  private async incident(incidentId: string): Promise<IncidentRow> {
    const [row]: IncidentRow[] = await this.transactions.current().query(
      `SELECT id, name, attributes, evidence FROM context_graph.nodes
        WHERE kind = 'incident' AND id = $1`,
      [incidentId],
    );
    if (!row) throw new NotFoundError('incident', incidentId);
    return row;
  }
}

/** Service ids from the incident's service up to (not including) `serviceId`. */
function pathTo(serviceId: string, parents: Map<string, ImpactRow>): string[] {
  const path: string[] = [];
  let via = parents.get(serviceId)?.via ?? null;
  while (via) {
    path.unshift(via);
    via = parents.get(via)?.via ?? null;
  }
  return path;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function toOwner(row: ImpactRow): Owner[] {
  if (!row.owner_id || !row.owner_evidence) return [];
  const team = {
    id: row.owner_id,
    name: row.owner_name ?? row.owner_id,
    link: deepLinks.team(row.owner_id),
  };
  return [{ team, evidence: row.owner_evidence }];
}
