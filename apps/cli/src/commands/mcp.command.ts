import { Command, Option } from 'commander';

import { isAgentHeaderValue, serveMcpOverStdio } from '@observe/agent-tools';

interface McpOptions {
  url: string;
  token: string;
  agentId?: string;
  conversationId?: string;
}

export function mcpCommand(): Command {
  return new Command('mcp')
    .description(
      'Serve a running API as MCP tools over stdio, for MCP clients that spawn a command; ' +
        'the tools are what the token may call',
    )
    .requiredOption('--url <url>', 'the API, e.g. http://localhost:3000')
    .addOption(
      new Option('--token <token>', 'the obs_ token every call is made with')
        .env('OBSERVE_TOKEN')
        .makeOptionMandatory(),
    )
    .option('--agent-id <id>', "recorded on every event (default: the MCP client's name)")
    .option('--conversation-id <id>', 'recorded on every event (default: one per run)')
    .action(async (options: McpOptions) => {
      for (const [flag, value] of [
        ['--agent-id', options.agentId],
        ['--conversation-id', options.conversationId],
      ] as const) {
        if (value !== undefined && !isAgentHeaderValue(value)) {
          throw new Error(`${flag} must be 1-128 of A-Z a-z 0-9 . _ : -`);
        }
      }
      if (!/^https?:\/\/\S+$/.test(options.url)) throw new Error('--url must be an http(s) URL');

      // stdout carries the protocol from here on; anything for people goes to stderr.
      const server = await serveMcpOverStdio(options);
      server.onclose = () => process.exit(0);
      // The client closing our stdin is the end of the session.
      process.stdin.once('end', () => void server.close());
      process.stderr.write(`24observe MCP server on stdio, proxying ${options.url}\n`);
    });
}
