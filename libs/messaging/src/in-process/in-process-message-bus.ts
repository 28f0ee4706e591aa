import { Logger } from '@nestjs/common';

import { IllegalStateError } from '@observe/core';

import { ConsumerHandle, MessageBus, OutgoingMessage, SubscribeOptions } from '../message-bus.port';
import { MessageDelivery } from '../message-delivery';
import {
  assertMessages,
  assertPartitionCount,
  assertSubscription,
  assertTopicName,
} from '../message-validation';
import { GroupMember, InProcessGroup } from './in-process-group';
import { InProcessTopic } from './in-process-topic';

export interface InProcessMessageBusOptions {
  /** Partitions of a topic created by its first publish or subscribe (default 3). */
  defaultPartitions?: number;
  /**
   * Most messages kept per partition (default 100,000). Messages every group
   * has committed go at once; past this cap the oldest go even if unread.
   */
  retention?: number;
}

/**
 * The bus inside one process, for the single-process mode and tests: the
 * same semantics as Kafka (partitions by key, groups sharing partitions,
 * commit after handle, retry and poison) without durability: a restart of
 * the process loses what was not handled.
 */
export class InProcessMessageBus extends MessageBus {
  private readonly logger = new Logger(InProcessMessageBus.name);
  private readonly topics = new Map<string, InProcessTopic>();
  private readonly groups = new Map<string, Map<string, InProcessGroup>>();
  private readonly handles = new Set<ConsumerHandle>();
  /** Partitions (`topic/partition`) over retention since the last warning. */
  private readonly overRetention = new Set<string>();
  private readonly defaultPartitions: number;
  private readonly retention: number;
  private closed = false;

  constructor(options: InProcessMessageBusOptions = {}) {
    super();
    this.defaultPartitions = options.defaultPartitions ?? 3;
    this.retention = options.retention ?? 100_000;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    assertMessages(topic, messages);

    const target = this.topicNamed(topic);
    const touched = new Set<number>();
    for (const message of messages) {
      const partition = target.partitionOf(message.key);
      target.partitions[partition].append(message);
      touched.add(partition);
    }
    for (const partition of touched) this.trim(target, partition);
    target.changed.notify();
  }

  async subscribe(options: SubscribeOptions): Promise<ConsumerHandle> {
    this.assertOpen();
    assertSubscription(options);

    const topic = this.topicNamed(options.topic);
    const group = this.groupOf(topic, options.groupId, options.fromBeginning ?? false);
    const delivery = new MessageDelivery(
      options,
      (to, messages) => this.publish(to, messages),
      this.logger,
    );
    const member = new GroupMember(delivery, options.concurrency ?? 1);
    group.join(member);

    const handle: ConsumerHandle = {
      stop: async () => {
        this.handles.delete(handle);
        member.stopped = true;
        delivery.stop();
        group.leave(member);
        await member.settled();
      },
    };
    this.handles.add(handle);
    return handle;
  }

  async ensureTopic(topic: string, partitions: number): Promise<void> {
    this.assertOpen();
    assertTopicName(topic);
    assertPartitionCount(partitions);

    const existing = this.topics.get(topic);
    if (!existing) {
      this.topics.set(topic, new InProcessTopic(topic, partitions));
      return;
    }
    if (existing.partitions.length !== partitions) {
      this.logger.warn({
        msg: 'topic exists with another partition count; left as it is',
        topic,
        partitions: existing.partitions.length,
        requested: partitions,
      });
    }
  }

  /** Always answers: the bus lives in this process. */
  async ping(): Promise<void> {
    return;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.handles].map((handle) => handle.stop()));
  }

  private assertOpen(): void {
    if (this.closed) throw new IllegalStateError('the message bus is closed');
  }

  private topicNamed(name: string): InProcessTopic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = new InProcessTopic(name, this.defaultPartitions);
      this.topics.set(name, topic);
    }
    return topic;
  }

  private groupOf(topic: InProcessTopic, groupId: string, fromBeginning: boolean): InProcessGroup {
    let groups = this.groups.get(topic.name);
    if (!groups) {
      groups = new Map();
      this.groups.set(topic.name, groups);
    }

    let group = groups.get(groupId);
    if (!group) {
      const onCommit = (partition: number): void => this.trim(topic, partition);
      group = new InProcessGroup(topic, groupId, fromBeginning, onCommit, this.logger);
      groups.set(groupId, group);
    }
    return group;
  }

  /** Drops what every group has committed, and the oldest past the retention cap. */
  private trim(topic: InProcessTopic, partition: number): void {
    const log = topic.partitions[partition];
    const groups = [...(this.groups.get(topic.name)?.values() ?? [])];
    const consumedByAll =
      groups.length > 0 ? Math.min(...groups.map((group) => group.committed[partition])) : 0;
    log.trimBelow(consumedByAll);

    const excess = log.end - log.start - this.retention;
    const where = `${topic.name}/${partition}`;
    if (excess <= 0) {
      this.overRetention.delete(where);
      return;
    }

    log.trimBelow(log.start + excess);
    // Once per episode: a topic nobody reads would otherwise warn on every publish.
    if (this.overRetention.has(where)) return;
    this.overRetention.add(where);
    this.logger.warn({
      msg: 'retention exceeded; dropping the oldest unread messages',
      topic: topic.name,
      partition,
      retention: this.retention,
    });
  }
}
