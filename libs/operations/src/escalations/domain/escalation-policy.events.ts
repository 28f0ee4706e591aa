import { EscalationLevel } from './escalation-policy';

export type EscalationPolicyCreated = {
  type: 'EscalationPolicyCreated';
  data: {
    policyId: string;
    name: string;
    levels: EscalationLevel[];
    repeat: number;
    services: string[];
  };
};

/** Carries the policy's name, levels and repeat as they are after the change. */
export type EscalationPolicyUpdated = {
  type: 'EscalationPolicyUpdated';
  data: { policyId: string; name: string; levels: EscalationLevel[]; repeat: number };
};

export type EscalationPolicyAttached = {
  type: 'EscalationPolicyAttached';
  data: { policyId: string; serviceId: string };
};

export type EscalationPolicyEvent =
  EscalationPolicyCreated | EscalationPolicyUpdated | EscalationPolicyAttached;
