import { Capability } from '../shared/capability';
import { EscalationPoliciesController } from './http/escalation-policies.controller';
import { PolicyCommandsHandler } from './manage-policies/policy-commands.handler';
import { escalationPoliciesProjection } from './read-model/escalation-policies.projection';
import { escalationPoliciesSchema } from './read-model/escalation-policies.schema';
import { EscalationPolicyQueries } from './read-model/escalation-policy.queries';
import { EscalationScheduler } from './timers/escalation-scheduler';
import { EscalationTimerFeed } from './timers/escalation-timer.feed';
import { escalationTimersSchema } from './timers/escalation-timers.schema';

export const escalationsCapability: Capability = {
  controllers: [EscalationPoliciesController],
  providers: [
    EscalationPolicyQueries,
    PolicyCommandsHandler,
    EscalationTimerFeed,
    EscalationScheduler,
  ],
  projections: [escalationPoliciesProjection],
  schemas: [escalationPoliciesSchema, escalationTimersSchema],
};
