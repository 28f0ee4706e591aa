import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { Clock, deterministicUuid, DomainError } from '@observe/core';
import { Transactions } from '@observe/database';
import {
  AppendResult,
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@observe/event-store';

import { AggregateStateCache, CachedState } from './aggregate-state-cache';
import { CommandContext, CommandContexts } from './command-context';
import { Decider, DomainEvent } from './decider';

export interface HandledCommand<TState> {
  state: TState;
  /** The state before the command, for answers such as "already acknowledged". */
  previous: TState;
  revision: number;
  result?: AppendResult;
}

const MAX_ATTEMPTS = 5;

/**
 * The one generic command handler: read the stream, decide, append with the
 * expected revision; on a concurrent write, read again and decide again.
 */
@Injectable()
export class AggregateRepository {
  private readonly cache = new AggregateStateCache();

  constructor(
    private readonly store: EventStore,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /** The stream's current state, read from the store (from the cached revision on). */
  async load<TState, TCommand, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TState, TCommand, TEvent>,
  ): Promise<{ state: TState; revision: number }> {
    const cached = this.cache.get(decider, streamId);
    let state = cached ? (cached.state as TState) : decider.initialState();
    let revision = cached ? cached.revision : -1;
    let lastEventId = cached?.lastEventId ?? '';

    // With a cached state, read from its own revision to check it still holds.
    for (let from = cached ? cached.revision : 0; ; from += 1_000) {
      const page = await this.store.readStream(streamId, { fromRevision: from, maxCount: 1_000 });
      let events = page;
      if (cached && from === cached.revision) {
        if (page[0]?.eventId !== cached.lastEventId) {
          this.cache.forget(decider, streamId);
          return this.load(streamId, decider);
        }
        events = page.slice(1);
      }
      for (const event of events) {
        state = decider.evolve(state, toDomainEvent<TEvent>(event));
        revision = event.revision;
        lastEventId = event.eventId;
      }
      if (page.length < 1_000) break;
    }

    if (revision >= 0) this.remember(decider, streamId, { state, revision, lastEventId });
    return { state, revision };
  }

  /**
   * Decides on the cached state without reading the stream first: a state
   * that was committed stays true, and if the stream moved since, the append
   * (expecting the cached revision) fails and the command runs again on what
   * is stored. A decision that writes nothing (or refuses) has no such check,
   * so it is taken again on a fresh read before it is believed.
   */
  async handle<TState, TCommand, TEvent extends DomainEvent>(
    streamId: string,
    decider: Decider<TState, TCommand, TEvent>,
    command: TCommand,
  ): Promise<HandledCommand<TState>> {
    for (let attempt = 1; ; attempt += 1) {
      // What this transaction appended is not cached before it commits.
      const ownWrites = CommandContexts.current()?.produced.some((e) => e.streamId === streamId);
      const cached = attempt === 1 && !ownWrites ? this.cache.get(decider, streamId) : undefined;
      const { state, revision } = cached
        ? { state: cached.state as TState, revision: cached.revision }
        : await this.load(streamId, decider);

      let events: TEvent[];
      try {
        events = decider.decide(command, state, this.clock.now());
      } catch (error) {
        if (cached) continue;
        throw error;
      }
      if (events.length === 0) {
        if (cached) continue;
        return { state, previous: state, revision };
      }

      try {
        const result = await this.append(streamId, events, revision);
        const next = events.reduce((current, event) => decider.evolve(current, event), state);
        const last = result.events[result.events.length - 1];
        this.remember(decider, streamId, {
          state: next,
          revision: result.nextExpectedRevision,
          lastEventId: last.eventId,
        });
        return { state: next, previous: state, revision: result.nextExpectedRevision, result };
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) this.cache.forget(decider, streamId);
        // Inside a request transaction the failed statement aborted it: let the
        // pipeline retry the whole request instead.
        const retryHere = !this.transactions.inTransaction() && attempt < MAX_ATTEMPTS;
        if (!(error instanceof WrongExpectedRevisionError) || !retryHere) throw error;
      }
    }
  }

  /** Caches a state once its transaction committed: a rolled-back one never counts. */
  private remember(decider: object, streamId: string, entry: CachedState): void {
    this.transactions.afterCommit(() => this.cache.set(decider, streamId, entry));
  }

  /** Appends events produced outside a decider (e.g. ingestion records). */
  async append(
    streamId: string,
    events: DomainEvent[],
    expectedRevision: number | 'any' | 'no_stream',
  ) {
    const context = CommandContexts.current();
    if (!context) throw new DomainError('illegal_state', 'events need a command context');

    const metadata = this.metadata(context);
    const newEvents: NewEvent[] = events.map((event, index) => ({
      eventId: eventIdFor(context, streamId, expectedRevision, index),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata,
    }));
    const expected = expectedRevision === -1 ? 'no_stream' : expectedRevision;
    const result = await this.store.append(streamId, newEvents, { expectedRevision: expected });
    context.produced.push(...result.events.map((event) => ({ ...event, streamId })));
    return result;
  }

  private metadata(context: CommandContext): EventMetadata {
    return {
      actor: context.actor,
      agentId: context.agentId ?? null,
      conversationId: context.conversationId ?? null,
      idempotencyKey: context.idempotencyKey ?? null,
      correlationId: context.correlationId,
      causationId: context.causationId ?? null,
      requestId: context.requestId ?? null,
      occurredAt: this.clock.now().toISOString(),
    };
  }
}

/**
 * With an idempotency key the ids are derived from it, so a retry of the same
 * request produces the same ids and the store refuses to write them twice.
 */
function eventIdFor(
  context: CommandContext,
  streamId: string,
  expected: number | 'any' | 'no_stream',
  index: number,
): string {
  if (!context.idempotencyKey) return randomUUID();

  const tokenId = context.actor.tokenId ?? '';
  return deterministicUuid(tokenId, context.idempotencyKey, streamId, expected, index);
}

export function toDomainEvent<TEvent extends DomainEvent>(event: RecordedEvent): TEvent {
  return { type: event.type, data: event.data, schemaVersion: event.schemaVersion } as TEvent;
}
