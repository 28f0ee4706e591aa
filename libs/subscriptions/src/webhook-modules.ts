import { DynamicModule } from '@nestjs/common';

import { RelayModule } from '@observe/relay';

import { SubscriptionsModule } from './subscriptions.module';

/**
 * What the webhook work adds to a process, by role: the subscriptions API
 * everywhere, the dispatcher with `dispatcher`, the relay with `relay`. Both
 * workers use the MessageBus (MessagingModule) the runtime provides.
 */
export function webhookModules(roles: { has(role: string): boolean }): DynamicModule[] {
  return [
    SubscriptionsModule.forRoot({ dispatcher: roles.has('dispatcher') }),
    ...(roles.has('relay') ? [RelayModule.forRoot()] : []),
  ];
}
