/**
 * Codes every layer understands. HTTP maps them to problem types in one filter;
 * workers decide retry or park from them. Domain code never imports HTTP.
 */
export type DomainErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'illegal_state'
  | 'concurrency'
  | 'unauthenticated'
  | 'forbidden'
  | 'full_token_required'
  | 'quota_exceeded'
  | 'idempotency_mismatch'
  | 'idempotency_in_flight'
  | 'unavailable';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    fieldErrors: FieldError[] = [],
    details: Record<string, unknown> = {},
  ) {
    super('validation', message, details, fieldErrors);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} does not exist`, { resource: what, id });
  }
}

export class IllegalStateError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('illegal_state', message, details);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('conflict', message, details);
  }
}
