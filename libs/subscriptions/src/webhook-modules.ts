import { DynamicModule } from '@nestjs/common';

import { RelayModule } from '@observe/relay';

import { SubscriptionsModule } from './subscriptions.module';

/**
 * What the webhook work adds to a process, by role: the subscriptions API
 * everywhere, the dispatcher with `dispatcher`, the relay with `relay`. Both
 * workers use the MessageBus (MessagingModule) the runtime provides.
 *
 * On the in-process bus, the topic has one partition: partitions spread work
 * over processes, which that bus has not, and one partition lets the
 * dispatcher plan everything the relay sent in one statement.
 */
export function webhookModules(
  roles: { has(role: string): boolean },
  bus: 'kafka' | 'in-process',
): DynamicModule[] {
  const partitions = bus === 'in-process' ? { partitions: 1 } : {};
  const consumer = bus === 'in-process' ? { partitions: 1, concurrency: 1 } : undefined;
  return [
    SubscriptionsModule.forRoot({ dispatcher: roles.has('dispatcher'), consumer }),
    ...(roles.has('relay') ? [RelayModule.forRoot(partitions)] : []),
  ];
}
