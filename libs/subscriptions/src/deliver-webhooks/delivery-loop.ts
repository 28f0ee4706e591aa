import { performance } from 'node:perf_hooks';

import { Logger } from '@nestjs/common';

import { Clock } from '@observe/core';
import { RequestContexts } from '@observe/observability';

import { DeliveryResult, RetrySchedule, webhookHeaders, WebhookClient } from '../delivery';
import { SecretBox } from '../secrets/secret-box';
import { AttemptRecorder } from './attempt-recorder';
import { ClaimedDelivery, DeliveryClaims } from './delivery-claims';
import { DeliveryNotifier } from './delivery-notifier';
import { nextStep, NextStep } from './next-step';
import { SubscriptionLanes } from './subscription-lanes';

export interface DeliveryLoopOptions {
  /** Deliveries this process holds claimed (waiting or sending), at most. */
  maxInFlight: number;
  /** Of those, how many one subscription may hold: one slow receiver cannot take them all. */
  maxPerSubscription: number;
  /** How many one subscription sends at once (its connection pool); the rest wait, claimed. */
  sendsPerSubscription: number;
  /**
   * While busy, finished attempts are gathered into claims of at least this
   * many; one claim takes at most twice as many, and the loop claims again
   * at once while claims come back full.
   */
  claimBatch: number;
  /** How often an idle loop looks for work that other processes made due. */
  idlePollMs: number;
  /** A claim's lease: longer than an attempt can take plus the time to record it. */
  leaseMs: number;
  /** The longest an attempt takes (WEBHOOK_TIMEOUT_MS). */
  attemptTimeoutMs: number;
}

/** The longest a busy loop waits to gather finished attempts into one claim. */
const GATHER_MS = 5;
const MAX_BACKOFF_MS = 30_000;
/** Time kept after an attempt's timeout to record it before its lease runs out. */
const RECORD_MARGIN_MS = 5_000;
const REAP_EVERY_MS = 5_000;
const OPENED_SECRETS_KEPT = 1_000;

/**
 * Sends due webhooks: claims deliveries, signs each with the subscription's
 * live secrets at the moment of sending, sends it, and hands the outcome to
 * the recorder. Many processes run this loop against one table; a delivery
 * is sent only while this process's lease on it outlasts the attempt, so
 * two dispatchers never send it at once.
 */
export class DeliveryLoop {
  private readonly logger = new Logger(DeliveryLoop.name);
  private readonly abort = new AbortController();
  private readonly lanes: SubscriptionLanes;
  private readonly sends = new Set<Promise<void>>();
  private wakeUp?: () => void;
  private wakePending = false;
  private gatherTimer?: NodeJS.Timeout;
  private finishedSinceClaim = 0;
  private lastReap = Number.NEGATIVE_INFINITY;
  private readonly openedSecrets = new Map<string, string>();
  private running?: Promise<void>;
  private unlisten?: () => void;

  constructor(
    private readonly claims: DeliveryClaims,
    private readonly client: WebhookClient,
    private readonly secrets: SecretBox,
    private readonly recorder: AttemptRecorder,
    private readonly schedule: RetrySchedule,
    private readonly notifier: DeliveryNotifier,
    private readonly clock: Clock,
    private readonly options: DeliveryLoopOptions,
  ) {
    this.lanes = new SubscriptionLanes(options.sendsPerSubscription);
  }

  start(): void {
    this.unlisten = this.notifier.listen(() => this.wake());
    this.running = this.run().catch((error: unknown) =>
      this.logger.error({ msg: 'delivery loop stopped; restart the process', err: error }),
    );
  }

  /** Finishes and records the attempts in flight; gives back what was claimed and not sent. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.unlisten?.();
    clearTimeout(this.gatherTimer);
    this.wake();
    await this.running;
    const unsent = this.lanes.drainWaiting();
    await this.claims.release(unsent).catch((error: unknown) =>
      this.logger.warn({
        msg: 'could not give back claimed deliveries; they fall due with their lease',
        err: error,
      }),
    );
    await Promise.all(this.sends);
    await this.recorder.flush();
    this.client.close();
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping;) {
      let waitMs = this.options.idlePollMs;
      const room = this.options.maxInFlight - this.lanes.total;
      if (room > 0) {
        try {
          // A claim locks what it looks at; kept small, it looks at little more than it takes.
          const limit = Math.min(room, this.options.claimBatch * 2);
          const claimed = await this.claim(limit);
          failures = 0;
          if (claimed > 0 && claimed >= limit) continue;
          await this.reapLapsedLeases();
          // While sends are in flight their ends wake the loop; asking when work falls due,
          // a round trip each time, is for an idle loop only.
          if (this.lanes.total === 0) waitMs = await this.untilNextDue();
        } catch (error) {
          failures += 1;
          waitMs = Math.min(this.options.idlePollMs * 2 ** failures, MAX_BACKOFF_MS);
          this.logger.warn({
            msg: 'cannot claim deliveries; retrying',
            retryInMs: waitMs,
            err: error,
          });
        }
      }
      await this.sleepUntilWoken(waitMs);
    }
  }

  private async claim(limit: number): Promise<number> {
    this.finishedSinceClaim = 0;
    const claimed = await this.claims.claim({
      limit,
      now: this.clock.now(),
      leaseMs: this.options.leaseMs,
      perSubscription: this.options.maxPerSubscription,
      held: this.lanes.heldBySubscription(),
    });
    for (const delivery of claimed) this.lanes.add(delivery);
    for (const subscriptionId of new Set(claimed.map((delivery) => delivery.subscriptionId))) {
      this.pump(subscriptionId);
    }
    return claimed.length;
  }

  /** Now and then, when not busy: frees deliveries whose dispatcher died holding them. */
  private async reapLapsedLeases(): Promise<void> {
    if (performance.now() - this.lastReap < REAP_EVERY_MS) return;

    this.lastReap = performance.now();
    const freed = await this.claims.reapLapsedLeases(this.clock.now());
    if (freed > 0) {
      this.logger.warn({ msg: 'freed deliveries whose lease lapsed; they go out again', freed });
    }
  }

  /** Until the next pending delivery falls due, or the idle poll if that is sooner or overdue. */
  private async untilNextDue(): Promise<number> {
    const due = await this.claims.nextDueAt();
    const untilDue = due ? due.getTime() - this.clock.now().getTime() : Number.POSITIVE_INFINITY;
    // Overdue work this loop could not claim (capped, or claimed elsewhere) waits for a wake-up.
    return untilDue > 0 ? Math.min(untilDue, this.options.idlePollMs) : this.options.idlePollMs;
  }

  /** Starts what the subscription may send now. */
  private pump(subscriptionId: string): void {
    for (;;) {
      if (this.stopping) return;
      const delivery = this.lanes.nextToSend(subscriptionId);
      if (!delivery) return;

      if (!this.leaseOutlastsAttempt(delivery)) {
        // Waited too long behind a slow receiver: its lease may lapse mid-attempt and another
        // dispatcher take it. Let it lapse unsent instead.
        this.lanes.finished(subscriptionId, true);
        continue;
      }
      const send: Promise<void> = this.attempt(delivery)
        .catch((error: unknown) =>
          this.logger.error({
            msg: 'delivery attempt crashed',
            deliveryId: delivery.id,
            err: error,
          }),
        )
        .finally(() => {
          this.sends.delete(send);
          this.lanes.finished(subscriptionId, true);
          this.pump(subscriptionId);
          this.finished();
        });
      this.sends.add(send);
    }
  }

  private leaseOutlastsAttempt(delivery: ClaimedDelivery): boolean {
    const needed = this.options.attemptTimeoutMs + RECORD_MARGIN_MS;
    return delivery.leaseExpiresAt.getTime() - this.clock.now().getTime() >= needed;
  }

  private attempt(delivery: ClaimedDelivery): Promise<void> {
    const correlationId = delivery.correlationId ?? delivery.eventId;
    return RequestContexts.run({ requestId: delivery.id, correlationId }, async () => {
      const startedAt = this.clock.now();
      const result = await this.send(delivery, startedAt);
      const finishedAt = this.clock.now();
      const step = nextStep(result, delivery.roundAttempts + 1, this.schedule);

      this.recorder.add({ delivery, startedAt, finishedAt, result, step });
      this.report(delivery, result, step, correlationId);
    });
  }

  private async send(delivery: ClaimedDelivery, now: Date): Promise<DeliveryResult> {
    // The bytes signed are the bytes sent: the payload's UTF-8, hashed and written as such.
    const body = delivery.payload;
    let headers: Record<string, string>;
    try {
      headers = {
        ...webhookHeaders({
          id: delivery.eventId,
          timestamp: Math.floor(now.getTime() / 1000),
          body,
          secrets: this.signingSecrets(delivery, now),
        }),
      };
    } catch (error) {
      // Nothing was sent; the schedule runs its course and the delivery is dead-lettered.
      const message = error instanceof Error ? error.message : String(error);
      return {
        outcome: 'failed',
        latencyMs: 0,
        error: `not signed: ${message}`,
        errorKind: 'refused',
      };
    }
    return this.client.deliver({ url: delivery.url, body, headers });
  }

  /** The current secret, and the previous one while its overlap lasts. */
  private signingSecrets(delivery: ClaimedDelivery, now: Date): string[] {
    const current = this.opened(delivery.sealedSecret, delivery.subscriptionId);
    const previous = delivery.sealedPreviousSecret;
    const overlapping =
      delivery.previousSecretExpiresAt !== null && delivery.previousSecretExpiresAt > now;
    return previous && overlapping
      ? [current, this.opened(previous, delivery.subscriptionId)]
      : [current];
  }

  /**
   * Opens a sealed secret once and keeps it for the deliveries that follow: a
   * rotation seals a new value, which is a new entry; old ones age out.
   */
  private opened(sealed: string, subscriptionId: string): string {
    // Keyed by subscription too: a sealed value opens only for the one it was sealed for.
    const key = `${subscriptionId}:${sealed}`;
    const cached = this.openedSecrets.get(key);
    if (cached !== undefined) return cached;

    const secret = this.secrets.open(sealed, subscriptionId);
    if (this.openedSecrets.size >= OPENED_SECRETS_KEPT) {
      const [oldest] = this.openedSecrets.keys();
      if (oldest !== undefined) this.openedSecrets.delete(oldest);
    }
    this.openedSecrets.set(key, secret);
    return secret;
  }

  private report(
    delivery: ClaimedDelivery,
    result: DeliveryResult,
    step: NextStep,
    correlationId: string,
  ) {
    const fields = {
      deliveryId: delivery.id,
      subscriptionId: delivery.subscriptionId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      attempt: delivery.attempts + 1,
      status: result.status,
      latencyMs: result.latencyMs,
      error: result.error,
      errorKind: result.errorKind,
      correlationId,
    };
    switch (step.kind) {
      case 'delivered':
        this.logger.debug({ msg: 'webhook delivered', ...fields });
        return;
      case 'retry':
        this.logger.log({
          msg: 'webhook not delivered; retrying',
          ...fields,
          retryInMs: step.delayMs,
        });
        return;
      case 'dead-letter':
        this.logger.warn({
          msg:
            step.reason === 'gone'
              ? 'receiver answered 410 Gone; delivery dead-lettered, subscription disabled'
              : 'webhook dead-lettered after its last scheduled attempt; resend it once fixed',
          ...fields,
        });
    }
  }

  /** A finished attempt frees room: claim at once when idle, else gather a few first. */
  private finished(): void {
    this.finishedSinceClaim += 1;
    if (this.lanes.total === 0 || this.finishedSinceClaim >= this.options.claimBatch) {
      this.wake();
      return;
    }
    this.gatherTimer ??= setTimeout(() => {
      this.gatherTimer = undefined;
      this.wake();
    }, GATHER_MS);
  }

  /** A wake-up while the loop is busy is kept, so the next sleep returns at once. */
  private wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    if (wakeUp) wakeUp();
    else this.wakePending = true;
  }

  private async sleepUntilWoken(ms: number): Promise<void> {
    if (this.stopping) return;
    if (this.wakePending) {
      this.wakePending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = undefined;
  }
}
