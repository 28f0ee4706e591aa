import {
  agentIdFromClientName,
  DEFAULT_AGENT_ID,
  newSessionId,
  readSessionId,
  resolveAgentIdentity,
} from './agent-identity';

describe('agent identity over MCP', () => {
  it('turns a client name into an agent id the API accepts', () => {
    expect(agentIdFromClientName('Claude Desktop')).toBe('Claude-Desktop');
    expect(agentIdFromClientName('  ~~ ')).toBe(DEFAULT_AGENT_ID);
    expect(agentIdFromClientName(undefined)).toBe(DEFAULT_AGENT_ID);
    expect(agentIdFromClientName('x'.repeat(100))).toHaveLength(64);
  });

  it('carries the client name and a conversation in the session id', () => {
    const id = newSessionId('triage bot');

    const session = readSessionId(id);

    expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(session).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), agentId: 'triage-bot' });
  });

  it('ignores session ids it did not issue', () => {
    expect(readSessionId('abc')).toBeUndefined();
    expect(readSessionId(undefined)).toBeUndefined();
  });

  it('prefers the headers, then the session, then defaults', () => {
    const session = { id: 'a'.repeat(32), agentId: 'triage-bot' };

    expect(resolveAgentIdentity({ agentId: 'h', conversationId: 'c' }, session)).toEqual({
      agentId: 'h',
      conversationId: 'c',
    });
    expect(resolveAgentIdentity({}, session)).toEqual({
      agentId: 'triage-bot',
      conversationId: `mcp-${'a'.repeat(32)}`,
    });
    expect(resolveAgentIdentity({}, undefined)).toEqual({
      agentId: DEFAULT_AGENT_ID,
      conversationId: expect.stringMatching(/^mcp-[0-9a-f]{32}$/),
    });
  });
});
