import { Command } from 'commander';

import { EventStore, GlobalCheckpoint } from '@observe/event-store';
import { ProjectionRunner } from '@observe/projections';

import { withPlatform } from '../platform-context';
import { ProgressBar } from '../progress';

export function projectionsCommand(): Command {
  const projections = new Command('projections').description('Read models built from the events');

  projections
    .command('list')
    .description('Each projection with its state and checkpoint, as NDJSON')
    .action(async () => {
      const statuses = await withPlatform([], (app) => app.get(ProjectionRunner).statuses());
      for (const status of statuses) process.stdout.write(`${JSON.stringify(status)}\n`);
    });

  projections
    .command('rebuild <name>')
    .description('Empty a read model and replay every event into it')
    .action(async (name: string) => {
      await withPlatform(['projector'], async (app) => {
        const runner = app.get(ProjectionRunner);
        const store = app.get(EventStore);
        const head = await headPosition(store);
        const mode = await runner.rebuild(name);
        if (mode === 'requested') {
          process.stderr.write(`another process runs ${name}; it was asked to rebuild\n`);
        }

        const progress = new ProgressBar(`rebuilding ${name}`);
        for (;;) {
          const done = await runner.waitForPosition(head, { projections: [name], timeoutMs: 500 });
          const [status] = (await runner.statuses()).filter((entry) => entry.name === name);
          if (status?.state === 'halted') throw new Error(`${name} halted: ${status.lastError}`);
          progress.update(done ? 1 : 0);
          if (done) break;
        }
        progress.finish(1);
        process.stdout.write(
          `${JSON.stringify({ projection: name, rebuilt: true, upTo: head })}\n`,
        );
      });
    });

  return projections;
}

async function headPosition(store: EventStore): Promise<GlobalCheckpoint> {
  let after: GlobalCheckpoint = 'start';
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5_000 });
    after = page.checkpoint;
    if (page.isEnd) return after;
  }
}
