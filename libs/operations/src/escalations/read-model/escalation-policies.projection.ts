import { EntityManager } from 'typeorm';

import { RecordedEvent } from '@observe/event-store';
import { Projection } from '@observe/projections';

import { POLICY_EVENT_TYPES, PolicyEvent } from '../escalation-policy.aggregate';
import {
  ESCALATION_POLICIES_TABLE,
  escalationPoliciesSchema,
  SERVICE_POLICIES_TABLE,
} from './escalation-policies.schema';

/** Escalation policies, and which policy each service follows. */
export const escalationPoliciesProjection: Projection = {
  name: 'operations.escalation-policies',
  filter: { streamPrefixes: ['escalation-policy-'], eventTypes: POLICY_EVENT_TYPES },
  schema: escalationPoliciesSchema,
  tables: [ESCALATION_POLICIES_TABLE, SERVICE_POLICIES_TABLE],

  async apply(events: RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      await applyOne(recorded as unknown as RecordedEvent & PolicyEvent, manager);
    }
  },
};

async function applyOne(event: RecordedEvent & PolicyEvent, manager: EntityManager) {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'EscalationPolicyCreated': {
      const { policyId, name, levels, repeat, services } = event.data;
      await manager.query(
        `INSERT INTO ${ESCALATION_POLICIES_TABLE}
           (id, name, levels, repeat, services, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (id) DO NOTHING`,
        [policyId, name, JSON.stringify(levels), repeat, services, at],
      );
      for (const serviceId of services) await attach(manager, policyId, serviceId);
      return;
    }
    case 'EscalationPolicyUpdated': {
      const { policyId, name, levels, repeat } = event.data;
      await manager.query(
        `UPDATE ${ESCALATION_POLICIES_TABLE}
            SET name = $2, levels = $3, repeat = $4, updated_at = $5 WHERE id = $1`,
        [policyId, name, JSON.stringify(levels), repeat, at],
      );
      return;
    }
    case 'EscalationPolicyAttached':
      await manager.query(
        `UPDATE ${ESCALATION_POLICIES_TABLE}
            SET services = array_append(array_remove(services, $2), $2), updated_at = $3
          WHERE id = $1`,
        [event.data.policyId, event.data.serviceId, at],
      );
      await attach(manager, event.data.policyId, event.data.serviceId);
      return;
    case 'EscalationPolicyDetached':
      await manager.query(
        `UPDATE ${ESCALATION_POLICIES_TABLE}
            SET services = array_remove(services, $2), updated_at = $3 WHERE id = $1`,
        [event.data.policyId, event.data.serviceId, at],
      );
      await manager.query(
        `DELETE FROM ${SERVICE_POLICIES_TABLE} WHERE service_id = $1 AND policy_id = $2`,
        [event.data.serviceId, event.data.policyId],
      );
      return;
  }
}

async function attach(manager: EntityManager, policyId: string, serviceId: string): Promise<void> {
  await manager.query(
    `INSERT INTO ${SERVICE_POLICIES_TABLE} (service_id, policy_id) VALUES ($1, $2)
     ON CONFLICT (service_id) DO UPDATE SET policy_id = EXCLUDED.policy_id`,
    [serviceId, policyId],
  );
}
