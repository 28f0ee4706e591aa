import { DomainErrorCode } from '@observe/core';

export interface ProblemType {
  status: number;
  slug: string;
  title: string;
}

/** The stable problem types of the API; `type` is `/problems/<slug>`. */
export const PROBLEM_TYPES: Record<DomainErrorCode, ProblemType> = {
  validation: { status: 400, slug: 'validation-error', title: 'The request is not valid' },
  not_found: { status: 404, slug: 'not-found', title: 'The resource does not exist' },
  conflict: {
    status: 409,
    slug: 'conflict',
    title: 'The request conflicts with the current state',
  },
  illegal_state: {
    status: 409,
    slug: 'illegal-state',
    title: 'The resource is not in a state that allows this',
  },
  concurrency: {
    status: 409,
    slug: 'concurrency-conflict',
    title: 'Another change landed first; retry',
  },
  unauthenticated: {
    status: 401,
    slug: 'unauthenticated',
    title: 'A valid bearer token is required',
  },
  forbidden: { status: 403, slug: 'missing-scope', title: 'The token lacks the scope this needs' },
  full_token_required: {
    status: 403,
    slug: 'full-token-required',
    title: 'Only a full token may do this; scoped (agent) tokens never can',
  },
  quota_exceeded: {
    status: 429,
    slug: 'quota-exceeded',
    title: "The token's daily mutation limit is used up",
  },
  idempotency_mismatch: {
    status: 422,
    slug: 'idempotency-key-reused',
    title: 'This Idempotency-Key was used for a different request',
  },
  idempotency_in_flight: {
    status: 409,
    slug: 'idempotency-key-in-flight',
    title: 'A request with this Idempotency-Key is still running',
  },
  unavailable: { status: 503, slug: 'unavailable', title: 'A dependency is unavailable; retry' },
};

export function problemTypeUri(slug: string): string {
  return `/problems/${slug}`;
}
