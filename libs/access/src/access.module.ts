import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { DataSource } from 'typeorm';

import { CommandContexts } from '@observe/commands';
import { ENVIRONMENT, Environment } from '@observe/config';
import { PeriodicTask } from '@observe/core';
import { advisoryKey, Transactions } from '@observe/database';

import { AccessGuard } from './authentication/access.guard';
import { AuditController } from './audit/audit.controller';
import { AuditReader } from './audit/audit-reader';
import { DenialFlusher } from './denials/denial-flusher';
import { DenialRecorder } from './denials/denial-recorder';
import { MutationLedger } from './guardrails/mutation-ledger';
import { MutationGuardrailsInterceptor } from './guardrails/mutation-guardrails.interceptor';
import { ScopesController } from './scopes/scopes.controller';
import { loadTokenHashKey } from './tokens/token-key.provider';
import { TokenHasher } from './tokens/token-hasher';
import { TokenService } from './tokens/token.service';
import { TokensController } from './tokens/tokens.controller';

export interface AccessModuleOptions {
  /** Run the background tasks (denial flushing, idempotency purge) in this process. */
  workers: boolean;
}

const ACCESS_OPTIONS = Symbol('ACCESS_OPTIONS');

@Module({})
export class AccessModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AccessModule.name);
  private tasks: PeriodicTask[] = [];

  constructor(
    @Inject(ACCESS_OPTIONS) private readonly options: AccessModuleOptions,
    @Inject(ENVIRONMENT) private readonly environment: Environment,
    private readonly tokens: TokenService,
    private readonly flusher: DenialFlusher,
    private readonly ledger: MutationLedger,
    private readonly transactions: Transactions,
  ) {}

  static forRoot(options: AccessModuleOptions): DynamicModule {
    return {
      module: AccessModule,
      global: true,
      controllers: [TokensController, ScopesController, AuditController],
      providers: [
        { provide: ACCESS_OPTIONS, useValue: options },
        {
          provide: TokenHasher,
          inject: [DataSource, ENVIRONMENT],
          useFactory: async (dataSource: DataSource, environment: Environment) =>
            new TokenHasher(await loadTokenHashKey(dataSource, environment.TOKEN_HASH_KEY)),
        },
        {
          provide: MutationLedger,
          inject: [ENVIRONMENT],
          useFactory: (environment: Environment) =>
            new MutationLedger(environment.IDEMPOTENCY_TTL_HOURS),
        },
        TokenService,
        DenialRecorder,
        DenialFlusher,
        AuditReader,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: MutationGuardrailsInterceptor },
      ],
      exports: [TokenService, AuditReader, DenialRecorder],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.environment.BOOTSTRAP_TOKEN === 'print') await this.printFirstToken();
    if (!this.options.workers) return;

    const onError = (error: unknown): void =>
      this.logger.warn({ msg: 'access background task failed; will retry', err: error });
    this.tasks = [
      new PeriodicTask(10_000, () => this.flusher.flush(), onError).start(),
      new PeriodicTask(
        3_600_000,
        () =>
          this.transactions.detached(() =>
            this.ledger.purgeExpired(this.transactions.dataSource.manager),
          ),
        onError,
      ).start(),
    ];
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.tasks.map((task) => task.stop()));
  }

  /**
   * A fresh install has no token and no password: the first start mints one
   * full token and prints it once, on a line of its own, never to the logs.
   */
  private async printFirstToken(): Promise<void> {
    const minted = await this.transactions.run(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [advisoryKey('bootstrap-token')]);
      if ((await this.tokens.count()) > 0) return undefined;

      return CommandContexts.run(CommandContexts.system('bootstrap'), () =>
        this.tokens.mint({
          name: 'bootstrap',
          kind: 'full',
          scopes: [],
          dailyMutationLimit: null,
          expiresAt: null,
        }),
      );
    });
    if (!minted) return;

    process.stdout.write(
      `\nFirst full token (shown once; store it now, revoke it when you have others):\n` +
        `${minted.token}\n\n`,
    );
  }
}
