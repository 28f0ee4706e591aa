import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';

import { RetriableError } from '@observe/core';

import { ConsumerHandle, SubscribeOptions } from '../message-bus.port';
import { CommitThrough, DeliveryControl, MessageDelivery } from '../message-delivery';
import { fromKafkaMessage, nextOffset } from './kafka-support';

const HEARTBEAT_INTERVAL_MS = 1_000;

export interface KafkaSubscriptionSettings {
  /** How long subscribe() waits to join the group and learn its positions. */
  joinTimeoutMs: number;
  /** Pause before a consumer that kafkajs gave up on is replaced. */
  replaceAfterMs: number;
}

/**
 * One subscriber: a kafkajs consumer that commits each message's offset (or
 * each batch's, with a batch handler) after its handler, kept alive across
 * broker outages. kafkajs restarts a
 * consumer after most failures; when it gives up, a new consumer replaces it.
 */
export class KafkaSubscription implements ConsumerHandle {
  private consumer?: Consumer;
  private stopped = false;
  private replaceTimer?: NodeJS.Timeout;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SubscribeOptions,
    private readonly delivery: MessageDelivery,
    private readonly settings: KafkaSubscriptionSettings,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the consumer has joined its group and resolved where it starts reading. */
  async start(): Promise<void> {
    const consumer = this.createConsumer();
    const positioned = this.whenPositioned(consumer);
    try {
      // The join timeout also bounds connecting, which kafkajs retries at length.
      await Promise.all([this.run(consumer), positioned.promise]);
    } catch (error) {
      await this.stop();
      throw new RetriableError(`could not join consumer group ${this.options.groupId}`, error);
    } finally {
      positioned.cancel();
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.delivery.stop();
    clearTimeout(this.replaceTimer);

    // kafkajs lets the batch in hand finish, then leaves the group.
    await this.consumer?.disconnect();
  }

  private createConsumer(): Consumer {
    const { groupId, topic } = this.options;
    const consumer = this.kafka.consumer({
      groupId,
      // Members heartbeat even inside slow handlers, so the session can be
      // short: after a broker restart the group waits this long for members
      // that died with it. Quick heartbeats settle rebalances in about a second.
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      sessionTimeout: 10_000,
      maxWaitTimeInMs: 500,
      retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 10 },
    });
    this.consumer = consumer;

    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[topic] ?? [];
      this.logger.log({ msg: 'consumer joined its group', topic, groupId, partitions });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopped) return;
      if (payload.restart) {
        this.logger.warn({
          msg: 'consumer failed; kafkajs restarts it',
          topic,
          groupId,
          err: payload.error,
        });
        return;
      }
      this.logger.error({
        msg: 'consumer failed for good; replacing it',
        topic,
        groupId,
        replaceInMs: this.settings.replaceAfterMs,
        err: payload.error,
      });
      this.scheduleReplacement();
    });
    return consumer;
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({
      topics: [this.options.topic],
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset, commitOffsetsIfNecessary } =
      payload;
    const { topic, partition } = batch;
    const control: DeliveryControl = {
      active: () => !this.stopped && isRunning() && !isStale(),
      whileWaiting: heartbeat,
    };
    const commitThrough: CommitThrough = async (message) => {
      resolveOffset(message.offset);
      // With offsets given this commits at once, even while the consumer stops
      // (consumer.commitOffsets would skip it then, and the handled message
      // would come back).
      const offset = nextOffset(message.offset);
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      await heartbeat();
    };

    // Offsets left unresolved (after an abandoned delivery) are fetched again
    // by whoever owns the partition next.
    const messages = batch.messages.map((raw) => fromKafkaMessage(topic, partition, raw));
    await this.whileBeating(heartbeat, () =>
      this.delivery.deliverInOrder(messages, control, commitThrough),
    );
  }

  /**
   * Heartbeats while a handler runs, as the Java client's background thread
   * does, so a slow handler (a webhook call) does not cost the member its
   * place. A rebalance it reports resurfaces at the next heartbeat in the loop.
   */
  private async whileBeating<T>(
    heartbeat: () => Promise<void>,
    work: () => Promise<T>,
  ): Promise<T> {
    const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
    try {
      return await work();
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * Positions are resolved by the first fetch after the group join (an empty
   * assignment has none to resolve); only then does a group that starts at
   * the end of the topic see every message published after subscribe().
   */
  private whenPositioned(consumer: Consumer): { promise: Promise<void>; cancel(): void } {
    const removers: Array<() => void> = [];
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<void>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no group join within ${this.settings.joinTimeoutMs} ms`)),
        this.settings.joinTimeoutMs,
      );
      removers.push(
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          const assigned = payload.memberAssignment[this.options.topic] ?? [];
          if (assigned.length === 0) resolve();
        }),
        consumer.on(consumer.events.FETCH, () => resolve()),
      );
    });
    // start() reports a rejection; this keeps it from also counting as unhandled.
    promise.catch(() => undefined);
    const cancel = (): void => {
      clearTimeout(timer);
      for (const remove of removers) remove();
    };
    return { promise, cancel };
  }

  private scheduleReplacement(): void {
    clearTimeout(this.replaceTimer);
    this.replaceTimer = setTimeout(() => void this.replace(), this.settings.replaceAfterMs);
  }

  private async replace(): Promise<void> {
    if (this.stopped) return;

    const { topic, groupId } = this.options;
    try {
      await this.consumer?.disconnect();
      await this.run(this.createConsumer());
      this.logger.log({ msg: 'consumer replaced', topic, groupId });
    } catch (error) {
      this.logger.error({
        msg: 'could not replace the consumer; trying again',
        topic,
        groupId,
        err: error,
      });
      this.scheduleReplacement();
    }
  }
}
