import { ConflictError, IllegalStateError, ValidationError } from '@observe/core';
import { Decider, DomainEvent } from '@observe/commands';

export type TokenKind = 'full' | 'scoped';

export interface TokenMintedData {
  [key: string]: unknown;
  tokenId: string;
  name: string;
  kind: TokenKind;
  scopes: string[];
  dailyMutationLimit: number | null;
  prefix: string;
  /** Base64 HMAC-SHA256 of the secret under the platform's token key. */
  secretHash: string;
  expiresAt: string | null;
  createdBy: string | null;
}

export type TokenEvent =
  | DomainEvent<'TokenMinted', TokenMintedData>
  | DomainEvent<'TokenRevoked', { tokenId: string; revokedAt: string; reason: string | null }>;

export type TokenCommand =
  | { kind: 'MintToken'; data: TokenMintedData }
  | { kind: 'RevokeToken'; tokenId: string; reason: string | null };

export interface TokenState {
  minted: boolean;
  revokedAt: string | null;
  token?: TokenMintedData;
}

export const tokenDecider: Decider<TokenState, TokenCommand, TokenEvent> = {
  initialState: () => ({ minted: false, revokedAt: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'TokenMinted':
        return { minted: true, revokedAt: null, token: event.data };
      case 'TokenRevoked':
        return { ...state, revokedAt: event.data.revokedAt };
    }
  },

  decide(command, state, now) {
    switch (command.kind) {
      case 'MintToken':
        if (state.minted) throw new ConflictError(`token ${command.data.tokenId} already exists`);
        if (command.data.kind === 'scoped' && command.data.scopes.length === 0) {
          throw new ValidationError('a scoped token needs at least one scope', [
            { field: 'scopes', message: 'must not be empty' },
          ]);
        }
        return [{ type: 'TokenMinted', data: command.data }];

      case 'RevokeToken':
        if (!state.minted) throw new IllegalStateError(`token ${command.tokenId} does not exist`);
        // Revoking twice is a no-op that answers with the current state.
        if (state.revokedAt) return [];
        return [
          {
            type: 'TokenRevoked',
            data: {
              tokenId: command.tokenId,
              revokedAt: now.toISOString(),
              reason: command.reason,
            },
          },
        ];
    }
  },
};
