import { EscalationLevel } from './escalation-policy';

export type CreateEscalationPolicy = {
  type: 'CreateEscalationPolicy';
  data: {
    policyId: string;
    name: string;
    levels: EscalationLevel[];
    repeat?: number;
    services?: string[];
  };
};

/** Changes only the fields given; at least one is required. */
export type UpdateEscalationPolicy = {
  type: 'UpdateEscalationPolicy';
  data: { policyId: string; name?: string; levels?: EscalationLevel[]; repeat?: number };
};

export type AttachPolicyToService = {
  type: 'AttachPolicyToService';
  data: { policyId: string; serviceId: string };
};

export type EscalationPolicyCommand =
  CreateEscalationPolicy | UpdateEscalationPolicy | AttachPolicyToService;
