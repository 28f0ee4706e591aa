import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ENVIRONMENT, Environment } from '@observe/config';
import { Clock } from '@observe/core';
import { installSchema } from '@observe/database';
import { MessageBus } from '@observe/messaging';
import { IntegrationEventRegistry } from '@observe/relay';

import { RetrySchedule, SsrfGuard, WebhookClient } from './delivery';
import { AttemptRecorder } from './deliver-webhooks/attempt-recorder';
import { DeliveryClaims } from './deliver-webhooks/delivery-claims';
import { DeliveryLoop, DeliveryLoopOptions } from './deliver-webhooks/delivery-loop';
import { DeliveryNotifier } from './deliver-webhooks/delivery-notifier';
import { WebhookDispatcher } from './deliver-webhooks/webhook-dispatcher';
import { DeliveryPlanner } from './dispatch-events/delivery-planner';
import {
  ConsumerSettings,
  IntegrationEventConsumer,
} from './dispatch-events/integration-event-consumer';
import { DeliveriesController } from './manage-deliveries/deliveries.controller';
import { DeliveryCommands } from './manage-deliveries/delivery-commands';
import { DeliveryReader } from './manage-deliveries/delivery-reader';
import { SubscriptionCommands } from './manage-subscriptions/subscription-commands';
import { SubscriptionsController } from './manage-subscriptions/subscriptions.controller';
import { SubscriptionReader } from './query-subscriptions/subscription-reader';
import { SecretBox } from './secrets/secret-box';
import { loadSecretsKey } from './secrets/secret-key';
import { subscriptionsSchema } from './storage/subscriptions.schema';

export interface SubscriptionsModuleOptions {
  /** Run the dispatcher here: the Kafka consumer group member and the delivery loop. */
  dispatcher: boolean;
  /** Dispatcher tuning; the defaults suit production. */
  delivery?: Partial<Omit<DeliveryLoopOptions, 'leaseMs' | 'attemptTimeoutMs'>>;
  consumer?: Partial<Pick<ConsumerSettings, 'partitions' | 'concurrency'>>;
}

const DELIVERY_DEFAULTS = {
  maxInFlight: 1_024,
  maxPerSubscription: 256,
  sendsPerSubscription: 16,
  claimBatch: 64,
  idlePollMs: 500,
};
const CONSUMER_DEFAULTS = { partitions: 6, concurrency: 6 };
/** Time a finished attempt has to be recorded before its lease runs out. */
const LEASE_MARGIN_MS = 30_000;

const SCHEMA_INSTALLED = Symbol('SUBSCRIPTIONS_SCHEMA_INSTALLED');

/**
 * Webhook subscriptions: the API (subscriptions and their deliveries), and
 * with `dispatcher` the worker that turns integration events from the bus
 * into signed, retried, logged webhooks. The dispatcher needs MessagingModule.
 */
@Module({})
export class SubscriptionsModule {
  static forRoot(options: SubscriptionsModuleOptions): DynamicModule {
    return {
      module: SubscriptionsModule,
      controllers: [SubscriptionsController, DeliveriesController],
      providers: [
        ...sharedProviders(),
        ...(options.dispatcher ? dispatcherProviders(options) : []),
      ],
      exports: [SubscriptionCommands, SubscriptionReader, DeliveryCommands, DeliveryReader],
    };
  }
}

function sharedProviders(): Provider[] {
  return [
    {
      provide: SCHEMA_INSTALLED,
      inject: [DataSource],
      useFactory: async (dataSource: DataSource) => {
        await installSchema(dataSource, subscriptionsSchema);
        return true;
      },
    },
    {
      provide: SecretBox,
      inject: [DataSource, ENVIRONMENT, SCHEMA_INSTALLED],
      useFactory: async (dataSource: DataSource, environment: Environment) =>
        new SecretBox(await loadSecretsKey(dataSource, environment.SECRETS_ENCRYPTION_KEY)),
    },
    {
      provide: SsrfGuard,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) => new SsrfGuard(environment.WEBHOOK_ALLOWED_CIDRS),
    },
    {
      provide: RetrySchedule,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) =>
        RetrySchedule.parse(environment.WEBHOOK_RETRY_SCHEDULE),
    },
    { provide: IntegrationEventRegistry, useValue: new IntegrationEventRegistry() },
    DeliveryNotifier,
    SubscriptionReader,
    SubscriptionCommands,
    DeliveryReader,
    DeliveryCommands,
  ];
}

function dispatcherProviders(options: SubscriptionsModuleOptions): Provider[] {
  const worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  return [
    DeliveryPlanner,
    {
      provide: IntegrationEventConsumer,
      inject: [MessageBus, DeliveryPlanner, DeliveryNotifier, ENVIRONMENT],
      useFactory: (
        bus: MessageBus,
        planner: DeliveryPlanner,
        notifier: DeliveryNotifier,
        environment: Environment,
      ) =>
        new IntegrationEventConsumer(bus, planner, notifier, {
          ...CONSUMER_DEFAULTS,
          ...options.consumer,
          topic: environment.KAFKA_TOPIC,
          groupId: `${environment.KAFKA_TOPIC}.webhook-dispatcher`,
        }),
    },
    {
      provide: WebhookClient,
      inject: [SsrfGuard, ENVIRONMENT, Clock],
      useFactory: (guard: SsrfGuard, environment: Environment, clock: Clock) =>
        new WebhookClient({
          guard,
          clock,
          timeoutMs: environment.WEBHOOK_TIMEOUT_MS,
          maxSocketsPerOrigin:
            options.delivery?.sendsPerSubscription ?? DELIVERY_DEFAULTS.sendsPerSubscription,
        }),
    },
    {
      provide: AttemptRecorder,
      inject: [DataSource, SubscriptionCommands, ENVIRONMENT, SCHEMA_INSTALLED],
      useFactory: (
        dataSource: DataSource,
        commands: SubscriptionCommands,
        environment: Environment,
      ) =>
        new AttemptRecorder(dataSource, commands, {
          worker,
          disableAfterMs: environment.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
          maxBatch: 500,
        }),
    },
    {
      provide: DeliveryLoop,
      inject: [
        DataSource,
        WebhookClient,
        SecretBox,
        AttemptRecorder,
        RetrySchedule,
        DeliveryNotifier,
        Clock,
        ENVIRONMENT,
      ],
      useFactory: (
        dataSource: DataSource,
        client: WebhookClient,
        secrets: SecretBox,
        recorder: AttemptRecorder,
        schedule: RetrySchedule,
        notifier: DeliveryNotifier,
        clock: Clock,
        environment: Environment,
      ) =>
        new DeliveryLoop(
          new DeliveryClaims(dataSource),
          client,
          secrets,
          recorder,
          schedule,
          notifier,
          clock,
          {
            ...DELIVERY_DEFAULTS,
            ...options.delivery,
            attemptTimeoutMs: environment.WEBHOOK_TIMEOUT_MS,
            leaseMs: environment.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS,
          },
        ),
    },
    {
      provide: WebhookDispatcher,
      inject: [IntegrationEventConsumer, DeliveryLoop],
      useFactory: (consumer: IntegrationEventConsumer, loop: DeliveryLoop) =>
        new WebhookDispatcher(consumer, loop, worker),
    },
  ];
}
