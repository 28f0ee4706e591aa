import { Decider, DomainEvent } from '@observe/commands';
import { DomainError } from '@observe/core';

type ErrorClass = abstract new (...args: never[]) => DomainError;

export interface RefusalExpectation {
  message?: RegExp;
  details?: Record<string, unknown>;
}

/**
 * given(events).when(command).then(events) for a pure decider, or
 * .thenRefuses(ErrorClass, { message, details }) when the command must fail.
 */
export function deciderSpecification<TState, TCommand, TEvent extends DomainEvent>(
  decider: Decider<TState, TCommand, TEvent>,
  now: Date = new Date('2026-03-01T12:00:00.000Z'),
) {
  return {
    given(history: TEvent[]) {
      const state = history.reduce(
        (current, event) => decider.evolve(current, event),
        decider.initialState(),
      );
      return {
        when(command: TCommand) {
          const decide = (): TEvent[] => decider.decide(command, state, now);
          return {
            then(expected: TEvent[]): void {
              expect(decide()).toEqual(expected);
            },

            thenRefuses(errorClass: ErrorClass, expectation: RefusalExpectation = {}): void {
              let refusal: unknown;
              try {
                decide();
              } catch (error) {
                refusal = error;
              }
              expect(refusal).toBeInstanceOf(errorClass);
              if (expectation.message) {
                expect((refusal as DomainError).message).toMatch(expectation.message);
              }
              if (expectation.details) {
                expect((refusal as DomainError).details).toMatchObject(expectation.details);
              }
            },

            /** The state after folding the decided events, for rules about state. */
            thenState(): TState {
              return decide().reduce((current, event) => decider.evolve(current, event), state);
            },
          };
        },
      };
    },
  };
}
