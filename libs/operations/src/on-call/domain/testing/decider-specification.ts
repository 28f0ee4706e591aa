import { DomainError } from '@observe/core';

/** The shape every aggregate in operations exposes. */
export interface Decider<State, Command, Event> {
  decide(state: State, command: Command, now: Date): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

const DEFAULT_NOW = '2026-03-01T12:00:00Z';

/**
 * given(events).when(command).then(events) for a decider, or
 * .then(ErrorClass, /message/) when the command must be refused.
 */
export function deciderSpecification<State, Command, Event>(
  decider: Decider<State, Command, Event>,
) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command, now: Date | string = DEFAULT_NOW) {
          const state = events.reduce(
            (current, event) => decider.evolve(current, event),
            decider.initialState,
          );
          const decide = (): Event[] => decider.decide(state, command, new Date(now));
          return {
            then(expected: Event[] | DomainErrorClass, message?: string | RegExp): void {
              if (Array.isArray(expected)) {
                expect(decide()).toEqual(expected);
                return;
              }
              let refusal: unknown;
              try {
                decide();
              } catch (error) {
                refusal = error;
              }
              expect(refusal).toBeInstanceOf(expected);
              if (message !== undefined) {
                expect(refusal).toHaveProperty('message', expect.stringMatching(message));
              }
            },
          };
        },
      };
    },
  };
}
