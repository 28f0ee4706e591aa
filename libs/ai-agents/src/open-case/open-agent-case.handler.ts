import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { IncidentCommands, IncidentView, Severity } from '@observe/incidents';

import { aiAgentStreamId } from '../domain/agent-id';
import { aiAgentDecider } from '../domain/ai-agent.decider';
import { AgentOverview, AgentOverviews } from '../overview/agent-overview';

export interface OpenedAgentCase {
  agentId: string;
  /** The case: an incident of kind `case`, acknowledged, updated and resolved like any other. */
  case: IncidentView;
  /** The overview the case was opened on, also stored in the case's details. */
  evidence: AgentOverview;
}

/**
 * Opens a case about an agent through the incident path, with the agent's
 * overview as evidence, and records it on the agent (AgentCaseOpened), in the
 * request's transaction.
 */
@Injectable()
export class OpenAgentCaseHandler {
  private readonly logger = new Logger(OpenAgentCaseHandler.name);

  constructor(
    private readonly overviews: AgentOverviews,
    private readonly incidents: IncidentCommands,
    private readonly aggregates: AggregateRepository,
  ) {}

  async execute(
    agentId: string,
    request: { title: string; severity?: Severity; summary?: string },
  ): Promise<OpenedAgentCase> {
    const agent = await this.overviews.get(agentId, 7);
    const evidence: AgentOverview = {
      agentId: agent.agentId,
      name: agent.name,
      lastSeenAt: agent.lastSeenAt,
      today: agent.today,
      last7Days: agent.last7Days,
      topModels: agent.topModels,
      spike: agent.spike,
      urls: agent.urls,
    };
    const severity = request.severity ?? 'warning';

    const incident = await this.incidents.open({
      kind: 'case',
      title: request.title,
      severity,
      service: null,
      summary: request.summary ?? null,
      source: 'ai-agents',
      links: [
        { href: `/api/v1/ai-agents/${agentId}`, text: 'The agent: usage, spend and daily series' },
        {
          href: `/api/v1/audit?agentId=${agentId}`,
          text: "The agent's actions in the audit trail",
        },
      ],
      details: { agentId, overview: evidence, spikes: agent.spikes.slice(0, 7) },
    });
    await this.aggregates.handle(aiAgentStreamId(agentId), aiAgentDecider, {
      type: 'RecordAgentCase',
      agentId,
      caseId: incident.id,
      title: request.title,
      severity,
      reason: request.summary ?? null,
    });

    this.logger.log({ msg: 'case opened about an AI agent', agentId, caseId: incident.id });
    return { agentId, case: incident, evidence };
  }
}
