import { Logger } from '@nestjs/common';
import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

import { IllegalStateError, RetriableError, sleep } from '@observe/core';

import { ConsumerHandle, MessageBus, OutgoingMessage, SubscribeOptions } from '../message-bus.port';
import { MessageDelivery } from '../message-delivery';
import {
  assertMessages,
  assertPartitionCount,
  assertSubscription,
  assertTopicName,
} from '../message-validation';
import { isTransientKafkaError, kafkaLogCreator, toKafkaMessage } from './kafka-support';
import { KafkaSubscription } from './kafka-subscription';

export interface KafkaMessageBusOptions {
  brokers: string[];
  clientId: string;
  /**
   * How long publish() keeps trying while the broker is unreachable before
   * it rejects with a RetriableError (default 30 s).
   */
  publishTimeoutMs?: number;
  /** How long subscribe() waits to join its group (default 30 s). */
  joinTimeoutMs?: number;
}

/**
 * The bus on Apache Kafka through kafkajs: an idempotent producer that waits
 * for all in-sync replicas, and consumer groups that commit each offset only
 * after the handler. See README.md for the delivery guarantees.
 */
export class KafkaMessageBus extends MessageBus {
  private readonly logger = new Logger(KafkaMessageBus.name);
  private readonly kafka: Kafka;
  private readonly publishTimeoutMs: number;
  private readonly joinTimeoutMs: number;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  /** Publishes run one after another, so a producer reset never cuts into another send. */
  private publishing: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: KafkaMessageBusOptions) {
    super();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3_000,
      logLevel: logLevel.INFO,
      logCreator: kafkaLogCreator(new Logger('kafkajs')),
    });
    this.publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
    this.joinTimeoutMs = options.joinTimeoutMs ?? 30_000;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    assertMessages(topic, messages);
    if (messages.length === 0) return;

    const sent = this.publishing.then(() => this.send(topic, messages));
    this.publishing = sent.catch(() => undefined);
    return sent;
  }

  async subscribe(options: SubscribeOptions): Promise<ConsumerHandle> {
    this.assertOpen();
    assertSubscription(options);

    const delivery = new MessageDelivery(
      options,
      (to, messages) => this.publish(to, messages),
      this.logger,
    );
    const subscription = new KafkaSubscription(
      this.kafka,
      options,
      delivery,
      { joinTimeoutMs: this.joinTimeoutMs, replaceAfterMs: 5_000 },
      this.logger,
    );
    this.subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      this.subscriptions.delete(subscription);
      throw error;
    }

    return {
      stop: async () => {
        this.subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    this.assertOpen();
    assertTopicName(topic);
    assertPartitionCount(partitions);

    const admin = await this.connectedAdmin();
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions }],
      waitForLeaders: true,
    });
    if (created) {
      this.logger.log({ msg: 'topic created', topic, partitions });
      return;
    }

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const existing = metadata.topics[0]?.partitions.length ?? 0;
    if (existing !== partitions) {
      // More partitions would move keys to other partitions and break their order.
      this.logger.warn({
        msg: 'topic exists with another partition count; left as it is',
        topic,
        partitions: existing,
        requested: partitions,
      });
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const admin = await this.connectedAdmin();
    await admin.describeCluster();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;

    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.subscriptions.clear();
    await this.publishing;
    await this.disconnectProducer();
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((client) => client.disconnect()).catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw new IllegalStateError('the message bus is closed');
  }

  /**
   * Sends until the broker acknowledges or the deadline passes. After any
   * failure the producer is replaced: kafkajs does not know whether the failed
   * batch was written, and a new producer id keeps later batches from being
   * taken for duplicates of it. A retry may thus write a batch twice; it
   * never loses one.
   */
  private async send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    const deadline = Date.now() + this.publishTimeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const producer = await this.connectedProducer();
        await producer.send({ topic, acks: -1, messages: messages.map(toKafkaMessage) });
        if (attempt > 1)
          this.logger.log({ msg: 'publish went through after retries', topic, attempt });
        return;
      } catch (error) {
        await this.disconnectProducer();
        if (!isTransientKafkaError(error)) throw error;

        const left = deadline - Date.now();
        if (this.closed || left <= 0) {
          const waited = this.closed ? 'the bus closed' : `${this.publishTimeoutMs} ms passed`;
          throw new RetriableError(
            `Kafka did not acknowledge ${messages.length} messages to ${topic} before ${waited}`,
            error,
          );
        }
        this.logger.warn({
          msg: 'publish failed; retrying',
          topic,
          attempt,
          count: messages.length,
          err: error,
        });
        await sleep(Math.min(left, 250 * 2 ** Math.min(attempt - 1, 3)));
      }
    }
  }

  private connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        // kafkajs keeps the order of an idempotent producer's batches only with one in flight.
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 5 },
      });
      this.producer = producer.connect().then(() => producer);
    }
    return this.producer;
  }

  private async disconnectProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((client) => client.disconnect()).catch(() => undefined);
  }

  private connectedAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin({
        retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: 8 },
      });
      const connected = admin.connect().then(() => admin);
      // A failed connection is forgotten, so the next call tries again.
      connected.catch(() => {
        if (this.admin === connected) this.admin = undefined;
      });
      this.admin = connected;
    }
    return this.admin;
  }
}
