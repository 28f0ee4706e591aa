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

export function isScoped(principal: Principal): boolean {
  return principal.kind === 'scoped';
}
