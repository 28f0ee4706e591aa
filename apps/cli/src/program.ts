import { Command } from 'commander';

import { auditCommand } from './commands/audit.command';
import { mcpCommand } from './commands/mcp.command';
import { projectionsCommand } from './commands/projections.command';
import { tokensCommand } from './commands/tokens.command';
import { toolsCommand } from './commands/tools.command';

/** `observe`: the operator's command line, on the same database as the platform. */
export function buildProgram(): Command {
  return new Command('observe')
    .description('24observe operator CLI (reads DATABASE_URL / DATA_DIR like the platform)')
    .addCommand(tokensCommand())
    .addCommand(auditCommand())
    .addCommand(projectionsCommand())
    .addCommand(toolsCommand())
    .addCommand(mcpCommand());
}
