import { Request } from 'express';

import { TokenKind } from '../tokens/token.decider';

/** The authenticated caller of one request. */
export interface Principal {
  tokenId: string;
  name: string;
  kind: TokenKind;
  scopes: ReadonlySet<string>;
  dailyMutationLimit: number | null;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Every other method is a mutation: it runs through the guardrails, whose
 * transaction checks the token's revocation again.
 */
export function isReadMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

export function isScoped(principal: Principal): boolean {
  return principal.kind === 'scoped';
}
