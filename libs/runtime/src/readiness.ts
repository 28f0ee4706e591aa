import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { EventStore } from '@observe/event-store';
import { HealthRegistry } from '@observe/http';
import { MessageBus } from '@observe/messaging';

/** What `/health/ready` waits for: the database, the event store and the message bus. */
@Injectable()
export class Readiness implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly bus: MessageBus,
  ) {}

  onModuleInit(): void {
    this.health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
    this.health.register('event-store', () => this.store.ping());
    this.health.register('messaging', () => this.bus.ping());
  }
}
