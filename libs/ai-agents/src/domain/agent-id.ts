import { SAFE_ID } from '@observe/core';

export function aiAgentStreamId(agentId: string): string {
  return `ai-agent-${agentId}`;
}

export const AI_AGENT_STREAM_PREFIX = 'ai-agent-';

/** A display name made into an id: runs of other characters become one '-'. */
export function agentIdFromName(name: string): string | undefined {
  const id = name
    .trim()
    .replace(/[^A-Za-z0-9._:-]+/g, '-')
    .slice(0, 128);
  // Agent ids share X-Agent-Id's charset, so telemetry and API activity join on one id.
  return SAFE_ID.test(id) ? id : undefined;
}
