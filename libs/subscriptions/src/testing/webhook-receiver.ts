import { Webhook } from 'standardwebhooks';

import {
  ReceivedRequest,
  startTestReceiver,
  TestReceiver,
} from '../delivery/testing/test-receiver';

export type ReceivedWebhook = ReceivedRequest & {
  webhookId: string;
  receivedAt: number;
  /** The body parsed; what receivers act on. */
  event: { id: string; type: string; timestamp: string; data: Record<string, unknown> };
};

/** How the receiver answers a request, told the nth time it sees that webhook-id. */
export type Answer = (
  webhook: ReceivedWebhook,
  nth: number,
) => { status: number; headers?: Record<string, string>; delayMs?: number };

export interface WebhookReceiver {
  /** The URL to subscribe (127.0.0.1, allow-listed in tests). */
  url: string;
  requests: ReceivedWebhook[];
  /** Changes how later requests are answered. */
  answer(answer: Answer): void;
  /** Requests for one webhook-id, oldest first. */
  requestsFor(webhookId: string): ReceivedWebhook[];
  /** Distinct webhook-ids answered 2xx, of one event type when given. */
  delivered(eventType?: string): Set<string>;
  close(): Promise<void>;
}

export const always =
  (status: number, headers: Record<string, string> = {}): Answer =>
  () => ({ status, headers });

/** Fails a webhook-id's first `failures` requests with `status`, then accepts it. */
export const failFirst =
  (failures: number, status = 500): Answer =>
  (_webhook, nth) => ({ status: nth <= failures ? status : 200 });

/** A local receiver as subscribers run them: parses bodies, counts attempts per webhook-id. */
export async function startWebhookReceiver(
  initial: Answer = always(200),
): Promise<WebhookReceiver> {
  let answer = initial;
  const requests: ReceivedWebhook[] = [];
  const seen = new Map<string, number>();
  const accepted = new Map<string, string>();

  const receiver: TestReceiver = await startTestReceiver((request, response) => {
    const raw = receiver.requests[receiver.requests.length - 1];
    if (!raw) throw new Error('the receiver lost a request');
    const webhookId = String(request.headers['webhook-id'] ?? '');
    const event = JSON.parse(raw.body.toString('utf8'));
    const webhook: ReceivedWebhook = { ...raw, webhookId, receivedAt: Date.now(), event };
    requests.push(webhook);

    const nth = (seen.get(webhookId) ?? 0) + 1;
    seen.set(webhookId, nth);
    const { status, headers = {}, delayMs = 0 } = answer(webhook, nth);
    setTimeout(() => {
      if (status >= 200 && status < 300) accepted.set(webhookId, event.type);
      response.writeHead(status, headers);
      response.end(status >= 300 ? `refused with ${status}` : 'ok');
    }, delayMs);
  });

  return {
    url: receiver.url,
    requests,
    answer: (next) => {
      answer = next;
    },
    requestsFor: (webhookId) => requests.filter((webhook) => webhook.webhookId === webhookId),
    delivered: (eventType) =>
      new Set(
        [...accepted].filter(([, type]) => !eventType || type === eventType).map(([id]) => id),
      ),
    close: () => receiver.close(),
  };
}

/** Checks a webhook with the Standard Webhooks reference library; throws unless it verifies. */
export function verifyWithStandardWebhooks(webhook: ReceivedRequest, secret: string): unknown {
  const headers: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    headers[name] = String(webhook.headers[name] ?? '');
  }
  return new Webhook(secret).verify(webhook.body.toString('utf8'), headers);
}

export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
