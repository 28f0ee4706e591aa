import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';

import { IntegrationEventConsumer } from '../dispatch-events/integration-event-consumer';
import { DeliveryLoop } from './delivery-loop';

/**
 * The dispatcher role: the Kafka consumer that plans deliveries and the loop
 * that sends them. Started once the application is up; stopped before the
 * bus and the database close, so attempts in flight are recorded.
 */
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);

  constructor(
    private readonly consumer: IntegrationEventConsumer,
    private readonly loop: DeliveryLoop,
    readonly worker: string,
  ) {}

  onApplicationBootstrap(): void {
    this.loop.start();
    this.consumer.start();
    this.logger.log({ msg: 'webhook dispatcher started', worker: this.worker });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.loop.stop();
  }
}
