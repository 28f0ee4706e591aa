import { EventData } from '@observe/event-store';

/** A domain event as deciders produce it: no id or metadata yet. */
export interface DomainEvent<TType extends string = string, TData extends EventData = EventData> {
  type: TType;
  data: TData;
  /** Defaults to 1; bump it with an upcaster when the shape changes. */
  schemaVersion?: number;
}

/**
 * Domain logic as pure functions: `decide` turns a command and the current
 * state into events (or throws a DomainError), `evolve` folds events into state.
 */
export interface Decider<TState, TCommand, TEvent extends DomainEvent> {
  initialState(): TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState, now: Date): TEvent[];
}
