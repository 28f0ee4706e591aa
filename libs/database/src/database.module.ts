import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ENVIRONMENT, Environment } from '@observe/config';

import { startEmbeddedPostgres, RunningPostgres } from './embedded-postgres.launcher';
import { Transactions } from './transactions';

export const DATABASE_URL = Symbol('DATABASE_URL');
const EMBEDDED_SERVER = Symbol('EMBEDDED_SERVER');

interface ResolvedDatabase {
  url: string;
  embedded?: RunningPostgres;
}

async function resolveDatabase(environment: Environment): Promise<ResolvedDatabase> {
  if (environment.DATABASE_URL) return { url: environment.DATABASE_URL };

  const logger = new Logger('EmbeddedPostgres');
  const embedded = await startEmbeddedPostgres({
    dataDir: environment.DATA_DIR,
    port: environment.EMBEDDED_POSTGRES_PORT,
    database: 'observe',
    onLog: (line) => logger.debug(line.trim()),
  });
  logger.log({ msg: 'embedded PostgreSQL started', port: environment.EMBEDDED_POSTGRES_PORT });
  return { url: embedded.url, embedded };
}

export function createDataSource(url: string, poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    entities: [],
    extra: { max: poolSize },
  });
}

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_SERVER,
      inject: [ENVIRONMENT],
      useFactory: resolveDatabase,
    },
    {
      provide: DATABASE_URL,
      inject: [EMBEDDED_SERVER],
      useFactory: (resolved: ResolvedDatabase) => resolved.url,
    },
    {
      provide: DataSource,
      inject: [DATABASE_URL, ENVIRONMENT],
      useFactory: async (url: string, environment: Environment) =>
        createDataSource(url, environment.DATABASE_POOL_SIZE).initialize(),
    },
    {
      provide: Transactions,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new Transactions(dataSource),
    },
  ],
  exports: [DATABASE_URL, DataSource, Transactions],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EMBEDDED_SERVER) private readonly resolved: ResolvedDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.resolved.embedded?.stop();
  }
}
