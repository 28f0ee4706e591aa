import { randomUUID } from 'node:crypto';

import { INestApplicationContext } from '@nestjs/common';

import { AggregateRepository, CommandContexts } from '@observe/commands';

export interface OpenedIncident {
  incidentId: string;
  /** The IncidentOpened event's id: the webhook-id subscribers see. */
  eventId: string;
}

/**
 * Appends an IncidentOpened as libs/incidents writes it, straight to the
 * store, for tests that need incidents without the alerts API.
 */
export async function appendIncidentOpened(
  app: INestApplicationContext,
  overrides: { service?: string; title?: string } = {},
): Promise<OpenedIncident> {
  const incidentId = randomUUID();
  const aggregates = app.get(AggregateRepository);
  const context = CommandContexts.system('webhooks-test');

  const result = await CommandContexts.run(context, () =>
    aggregates.append(
      `incident-${incidentId}`,
      [
        {
          type: 'IncidentOpened',
          data: {
            incidentId,
            sequence: 1,
            service: overrides.service ?? 'checkout',
            at: new Date().toISOString(),
            kind: 'incident',
            title: overrides.title ?? 'Checkout error rate above 5%',
            summary: null,
            severity: 'error',
            origin: 'alert',
            dedupKey: `checkout-errors-${incidentId.slice(0, 8)}`,
            fingerprint: 'f00dfeedf00dfeed',
            source: 'prometheus',
            links: [],
            details: null,
          },
        },
      ],
      'no_stream',
    ),
  );
  const eventId = result.events[0]?.eventId;
  if (!eventId) throw new Error('the store appended nothing');
  return { incidentId, eventId };
}
