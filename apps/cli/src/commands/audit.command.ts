import { Command } from 'commander';
import { DataSource } from 'typeorm';

import { AuditQuery, AuditReader } from '@observe/access';

import { withPlatform } from '../platform-context';
import { ProgressBar } from '../progress';

interface ReplayOptions {
  agentId?: string;
  conversationId?: string;
  tokenId?: string;
  type?: string;
  stream?: string;
  from?: string;
  to?: string;
  after?: string;
}

export function auditCommand(): Command {
  const audit = new Command('audit').description('The audit trail (the event stream itself)');

  audit
    .command('replay')
    .description('Stream history as NDJSON, oldest first, secrets redacted')
    .option('--agent-id <id>')
    .option('--conversation-id <id>')
    .option('--token-id <id>')
    .option('--type <EventType>')
    .option('--stream <id or prefix*>')
    .option('--from <iso>', 'recorded at or after')
    .option('--to <iso>', 'recorded before')
    .option('--after <position>', 'only events after this position')
    .action(async (options: ReplayOptions) => {
      await withPlatform([], async (app) => {
        const reader = app.get(AuditReader);
        const [{ total }] = await app
          .get(DataSource)
          .query(`SELECT count(*)::int AS total FROM event_store.events`);
        const progress = new ProgressBar('replaying');
        let written = 0;
        let cursor: string | undefined;
        do {
          const query: AuditQuery = { ...options, cursor, limit: 500 };
          const page = await reader.query(query);
          for (const entry of page.data) {
            if (!process.stdout.write(`${JSON.stringify(entry)}\n`)) await drain();
          }
          written += page.data.length;
          progress.update(written, hasFilter(options) ? undefined : total);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        progress.finish(written);
      });
    });

  return audit;
}

function hasFilter(options: ReplayOptions): boolean {
  return Object.values(options).some((value) => value !== undefined);
}

function drain(): Promise<void> {
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}
