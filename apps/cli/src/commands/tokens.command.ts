import { Command } from 'commander';

import { isScope, TokenService } from '@observe/access';
import { CommandContexts } from '@observe/commands';

import { withPlatform } from '../platform-context';

const operator = () => CommandContexts.system('operator-cli');

export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('Mint, list and revoke API tokens');

  tokens
    .command('create')
    .description('Mint a token; its secret is printed once, alone on stdout')
    .requiredOption('--name <name>', 'a name people recognise')
    .option('--full', 'a full token: every area, and what scoped tokens may never do')
    .option('--scopes <list>', 'comma-separated scopes for a scoped token', '')
    .option('--limit <n>', 'daily mutation limit', (value) => Number.parseInt(value, 10))
    .option('--expires-at <iso>', 'expiry time (ISO-8601)')
    .action(
      async (options: {
        name: string;
        full?: boolean;
        scopes: string;
        limit?: number;
        expiresAt?: string;
      }) => {
        const scopes = options.scopes
          .split(',')
          .map((scope) => scope.trim())
          .filter(Boolean);
        const unknown = scopes.filter((scope) => !isScope(scope));
        if (unknown.length > 0) throw new Error(`unknown scopes: ${unknown.join(', ')}`);
        if (!options.full && scopes.length === 0) throw new Error('a scoped token needs --scopes');
        if (!options.full && !options.limit) throw new Error('a scoped token needs --limit');

        const minted = await withPlatform([], (app) =>
          CommandContexts.run(operator(), () =>
            app.get(TokenService).mint({
              name: options.name,
              kind: options.full ? 'full' : 'scoped',
              scopes,
              dailyMutationLimit: options.limit ?? null,
              expiresAt: options.expiresAt ?? null,
            }),
          ),
        );
        process.stderr.write(`minted ${minted.kind} token ${minted.id} (${minted.prefix}…)\n`);
        process.stdout.write(`${minted.token}\n`);
      },
    );

  tokens
    .command('list')
    .description('List tokens as NDJSON (never their secrets)')
    .action(async () => {
      const all = await withPlatform([], (app) => app.get(TokenService).list());
      for (const token of all) process.stdout.write(`${JSON.stringify(token)}\n`);
    });

  tokens
    .command('revoke <id>')
    .description('Revoke a token; it is refused from its next request')
    .option('--reason <text>', 'why, for the audit trail')
    .action(async (id: string, options: { reason?: string }) => {
      const revoked = await withPlatform([], (app) =>
        CommandContexts.run(operator(), () =>
          app.get(TokenService).revoke(id, options.reason ?? null),
        ),
      );
      process.stdout.write(`${JSON.stringify(revoked)}\n`);
    });

  return tokens;
}
