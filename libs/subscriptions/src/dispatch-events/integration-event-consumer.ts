import { Injectable, Logger } from '@nestjs/common';

import { RetriableError, sleep } from '@observe/core';
import { RequestContexts } from '@observe/observability';
import { ConsumerHandle, HandleOutcome, IncomingMessage, MessageBus } from '@observe/messaging';
import { decodeIntegrationEvent } from '@observe/relay';

import { DeliveryNotifier } from '../deliver-webhooks/delivery-notifier';
import { DeliveryPlanner, PlannedDeliveries, ReceivedEvent } from './delivery-planner';

export interface ConsumerSettings {
  topic: string;
  groupId: string;
  /** Partitions the topic is created with when the dispatcher is first to need it. */
  partitions: number;
  /** Partitions this process handles at once. */
  concurrency: number;
}

const MAX_JOIN_DELAY_MS = 30_000;
/** Events planned in one statement; bounds its parameters and its time holding a partition. */
const MAX_BATCH_SIZE = 500;
/** Ids a batch's debug line lists, enough to follow a few events without logging them all. */
const LOGGED_IDS = 3;

function receivedEvent(message: IncomingMessage): ReceivedEvent {
  const event = decodeIntegrationEvent(message.value);
  return {
    event,
    payload: message.value.toString('utf8'),
    correlationId: message.correlationId ?? event.id,
  };
}

/**
 * The dispatcher's Kafka consumer (group member): turns batches of
 * integration events into deliveries, then lets their offsets be committed.
 * A malformed event is poison (parked on the dead-letter topic); a database
 * failure is retried, holding its partition until the database answers.
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

  /**
   * Plans the deliveries of a batch of events in one statement. A malformed
   * event fails the batch, which the bus then hands to `handle` one message
   * at a time, so only that event is parked.
   */
  async handleBatch(messages: IncomingMessage[]): Promise<HandleOutcome> {
    const received = messages.map(receivedEvent);

    const { planned, due } = await this.plan(received);
    this.logger.debug({
      msg: 'deliveries planned',
      events: received.length,
      planned,
      due,
      firstEventIds: received.slice(0, LOGGED_IDS).map(({ event }) => event.id),
      firstCorrelationIds: received.slice(0, LOGGED_IDS).map((entry) => entry.correlationId),
    });
    return 'done';
  }

  async handle(message: IncomingMessage): Promise<HandleOutcome> {
    const entry = receivedEvent(message);
    const { event, correlationId } = entry;

    return RequestContexts.run(
      { requestId: event.id, correlationId },
      async (): Promise<HandleOutcome> => {
        const { due } = await this.plan([entry]);
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

  private async plan(received: ReceivedEvent[]): Promise<PlannedDeliveries> {
    let planned: PlannedDeliveries;
    try {
      planned = await this.planner.plan(received);
    } catch (error) {
      const what = received.length === 1 ? `event ${received[0].event.id}` : 'a batch of events';
      throw new RetriableError(`could not plan the deliveries of ${what}`, error);
    }

    if (planned.due > 0) this.notifier.notify();
    return planned;
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
          handleBatch: (messages) => this.handleBatch(messages),
          maxBatchSize: MAX_BATCH_SIZE,
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
