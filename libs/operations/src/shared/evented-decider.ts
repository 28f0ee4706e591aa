import { Decider, DomainEvent } from '@observe/commands';

/** The shape the operations domains use: state first, initial state as a value. */
export interface StateFirstDecider<TState, TCommand, TEvent extends DomainEvent> {
  decide(state: TState, command: TCommand, now: Date): TEvent[];
  evolve(state: TState, event: TEvent): TState;
  initialState: TState;
}

/**
 * Fits a domain decider to the generic command handler. A stream can hold
 * events its decider never made (an `AlertSuppressed` on a maintenance
 * window's stream): those are passed over, not folded into the state.
 */
export function toAggregateDecider<TState, TCommand, TEvent extends DomainEvent>(
  domain: StateFirstDecider<TState, TCommand, TEvent>,
  eventTypes: readonly TEvent['type'][],
): Decider<TState, TCommand, TEvent> {
  const known = new Set<string>(eventTypes);
  return {
    initialState: () => domain.initialState,
    evolve: (state, event) => (known.has(event.type) ? domain.evolve(state, event) : state),
    decide: (command, state, now) => domain.decide(state, command, now),
  };
}
