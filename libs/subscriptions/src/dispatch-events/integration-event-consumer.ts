import { Injectable, Logger } from '@nestjs/common';

import { RetriableError, sleep } from '@observe/core';
import { RequestContexts } from '@observe/observability';
import { ConsumerHandle, HandleOutcome, IncomingMessage, MessageBus } from '@observe/messaging';
import { decodeIntegrationEvent } from '@observe/relay';

import { DeliveryNotifier } from '../deliver-webhooks/delivery-notifier';
import { DeliveryPlanner } from './delivery-planner';

export interface ConsumerSettings {
  topic: string;
  groupId: string;
  /** Partitions the topic is created with when the dispatcher is first to need it. */
  partitions: number;
  /** Partitions this process handles at once. */
  concurrency: number;
}

const MAX_JOIN_DELAY_MS = 30_000;

/**
 * The dispatcher's Kafka consumer (group member): turns each integration
 * event into deliveries, then lets the offset be committed. A malformed
 * event is poison (parked on the dead-letter topic); a database failure is
 * retried, holding its partition until the database answers.
 */
@Injectable()
export class IntegrationEventConsumer {
  private readonly logger = new Logger(IntegrationEventConsumer.name);
  private readonly abort = new AbortController();
  private consumer?: ConsumerHandle;
  private joining?: Promise<void>;

  constructor(
    private readonly bus: MessageBus,
    private readonly planner: DeliveryPlanner,
    private readonly notifier: DeliveryNotifier,
    private readonly settings: ConsumerSettings,
  ) {}

  /** Joins in the background: Kafka may still be starting when the process does. */
  start(): void {
    this.joining = this.join();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.joining;
    await this.consumer?.stop();
  }

  async handle(message: IncomingMessage): Promise<HandleOutcome> {
    const event = decodeIntegrationEvent(message.value);
    const correlationId = message.correlationId ?? event.id;

    return RequestContexts.run(
      { requestId: event.id, correlationId },
      async (): Promise<HandleOutcome> => {
        let due: number;
        try {
          due = await this.planner.plan(event, message.value.toString('utf8'), correlationId);
        } catch (error) {
          throw new RetriableError(`could not plan the deliveries of event ${event.id}`, error);
        }

        if (due > 0) this.notifier.notify();
        this.logger.debug({
          msg: 'deliveries planned',
          eventId: event.id,
          eventType: event.type,
          due,
          correlationId,
        });
        return 'done';
      },
    );
  }

  private async join(): Promise<void> {
    const { topic, groupId } = this.settings;
    for (
      let delay = 500;
      !this.abort.signal.aborted;
      delay = Math.min(delay * 2, MAX_JOIN_DELAY_MS)
    ) {
      try {
        await this.bus.ensureTopic(topic, this.settings.partitions);
        this.consumer = await this.bus.subscribe({
          topic,
          groupId,
          // A new group starts at the oldest event kept: nothing relayed before it is skipped.
          fromBeginning: true,
          concurrency: this.settings.concurrency,
          deadLetterTopic: `${groupId}.dead-letter`,
          handle: (message) => this.handle(message),
        });
        this.logger.log({ msg: 'dispatcher consuming integration events', topic, groupId });
        return;
      } catch (error) {
        this.logger.warn({
          msg: 'cannot join the dispatcher group yet; retrying',
          topic,
          retryInMs: delay,
          err: error,
        });
        await sleep(delay, this.abort.signal);
      }
    }
  }
}
