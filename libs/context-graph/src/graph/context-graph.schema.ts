import { SchemaDefinition } from '@observe/database';

/**
 * The context graph's read model: nodes and edges, each with the evidence of
 * the event it came from. `depends_on` edges have their own partial indexes,
 * both ways, for the recursive blast-radius walk.
 */
export const contextGraphSchema: SchemaDefinition = {
  name: 'context-graph',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS context_graph`,
    `CREATE TABLE IF NOT EXISTS context_graph.nodes (
       kind text NOT NULL,
       id text NOT NULL,
       name text NOT NULL,
       attributes jsonb NOT NULL DEFAULT '{}',
       evidence json NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       PRIMARY KEY (kind, id)
     )`,
    `CREATE TABLE IF NOT EXISTS context_graph.edges (
       kind text NOT NULL,
       from_kind text NOT NULL,
       from_id text NOT NULL,
       to_kind text NOT NULL,
       to_id text NOT NULL,
       evidence json NOT NULL,
       PRIMARY KEY (kind, from_kind, from_id, to_kind, to_id)
     )`,
    `CREATE INDEX IF NOT EXISTS edges_into ON context_graph.edges (to_kind, to_id, kind)`,
    `CREATE INDEX IF NOT EXISTS edges_out_of ON context_graph.edges (from_kind, from_id, kind)`,
    `CREATE INDEX IF NOT EXISTS depends_on_dependents
       ON context_graph.edges (to_id, from_id) WHERE kind = 'depends_on'`,
    `CREATE INDEX IF NOT EXISTS depends_on_dependencies
       ON context_graph.edges (from_id, to_id) WHERE kind = 'depends_on'`,
    `CREATE TABLE IF NOT EXISTS context_graph.deployments (
       id uuid PRIMARY KEY,
       service text NOT NULL,
       version text NOT NULL,
       deployed_at timestamptz NOT NULL,
       link text,
       evidence json NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS deployments_by_service
       ON context_graph.deployments (service, deployed_at DESC)`,
  ],
};

export const CONTEXT_GRAPH_TABLES = [
  'context_graph.nodes',
  'context_graph.edges',
  'context_graph.deployments',
];
