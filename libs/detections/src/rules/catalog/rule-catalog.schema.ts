import { SchemaDefinition } from '@observe/database';

export const RULES_TABLE = 'detections.rules';

/**
 * One row per rule: the catalog entry (`detail`, built by `applyRuleEvent`),
 * the columns the list filters on, and the parsed current version the
 * detector compiles.
 */
export const ruleCatalogSchema: SchemaDefinition = {
  name: 'detections-rule-catalog',
  statements: [
    `CREATE SCHEMA IF NOT EXISTS detections`,
    `CREATE TABLE IF NOT EXISTS ${RULES_TABLE} (
       id uuid PRIMARY KEY,
       version integer NOT NULL,
       status text NOT NULL,
       level text NOT NULL,
       severity text NOT NULL,
       tactics text[] NOT NULL,
       techniques text[] NOT NULL,
       published_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       rule jsonb NOT NULL,
       detail jsonb NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS rules_by_publication
       ON ${RULES_TABLE} (published_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS rules_active ON ${RULES_TABLE} (id) WHERE status = 'active'`,
  ],
};
