import { Logger } from '@nestjs/common';

import { MessageDelivery } from '../message-delivery';
import { InProcessTopic, Signal } from './in-process-topic';

/** One subscriber: its delivery rules and a cap on the partitions it handles at once. */
export class GroupMember {
  stopped = false;
  private free: number;
  private busy = 0;
  private readonly slotFreed = new Signal();

  constructor(
    readonly delivery: MessageDelivery,
    concurrency: number,
  ) {
    this.free = concurrency;
  }

  async acquire(): Promise<void> {
    while (this.free === 0) await this.slotFreed.wait();
    this.free -= 1;
    this.busy += 1;
  }

  release(): void {
    this.free += 1;
    this.busy -= 1;
    this.slotFreed.notify();
  }

  /** Resolves when no delivery of this member is in flight. */
  async settled(): Promise<void> {
    while (this.busy > 0) await this.slotFreed.wait();
  }
}

/**
 * A consumer group on one topic: committed offsets per partition, and one
 * loop per partition that hands its messages, in order, to the member that
 * owns the partition at that moment (partition i goes to member i mod n).
 * A member with a batch handler gets all that is queued, up to its cap.
 */
export class InProcessGroup {
  readonly members: GroupMember[] = [];
  readonly committed: number[];
  private readonly working = new Set<number>();

  constructor(
    readonly topic: InProcessTopic,
    readonly id: string,
    fromBeginning: boolean,
    private readonly onCommit: (partition: number) => void,
    private readonly logger: Logger,
  ) {
    this.committed = topic.partitions.map((log) => (fromBeginning ? log.start : log.end));
  }

  join(member: GroupMember): void {
    this.members.push(member);
    this.topic.changed.notify();
    this.topic.partitions.forEach((_, partition) => {
      if (this.working.has(partition)) return;
      this.working.add(partition);
      void this.work(partition).catch((error: unknown) => {
        this.working.delete(partition);
        this.logger.error({
          msg: 'partition loop failed',
          topic: this.topic.name,
          groupId: this.id,
          err: error,
        });
      });
    });
  }

  leave(member: GroupMember): void {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
    this.topic.changed.notify();
  }

  private ownerOf(partition: number): GroupMember | undefined {
    return this.members.length > 0 ? this.members[partition % this.members.length] : undefined;
  }

  private async work(partition: number): Promise<void> {
    const log = this.topic.partitions[partition];
    for (;;) {
      const member = this.ownerOf(partition);
      if (!member) {
        this.working.delete(partition);
        return;
      }

      if (this.committed[partition] < log.start) {
        this.logger.warn({
          msg: 'messages trimmed before this group read them; skipping ahead',
          topic: this.topic.name,
          groupId: this.id,
          partition,
          skipped: log.start - this.committed[partition],
        });
        this.committed[partition] = log.start;
      }

      const offset = this.committed[partition];
      const messages = log.readFrom(this.topic.name, partition, offset, member.delivery.batchSize);
      if (messages.length === 0) {
        await this.topic.changed.wait();
        continue;
      }

      const owns = (): boolean => !member.stopped && this.ownerOf(partition) === member;
      const commitThrough = async (message: { offset: string }): Promise<void> => {
        this.committed[partition] = Number(message.offset) + 1;
        this.onCommit(partition);
      };
      await member.acquire();
      try {
        if (owns()) await member.delivery.deliverInOrder(messages, { active: owns }, commitThrough);
      } finally {
        member.release();
      }
    }
  }
}
