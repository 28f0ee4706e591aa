import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository, CommandContexts } from '@observe/commands';
import { Clock, NotFoundError, ValidationError } from '@observe/core';
import { Transactions } from '@observe/database';

import { ALL_SCOPES, isScope } from '../scopes/scope-catalog';
import { generateToken, parseToken } from './token-format';
import { TokenHasher } from './token-hasher';
import { TokenKind, TokenMintedData, tokenDecider } from './token.decider';

export interface MintTokenInput {
  name: string;
  kind: TokenKind;
  scopes: string[];
  dailyMutationLimit: number | null;
  expiresAt: string | null;
}

export interface TokenView {
  id: string;
  name: string;
  kind: TokenKind;
  scopes: string[];
  dailyMutationLimit: number | null;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface AuthenticatedToken extends TokenView {
  revoked: boolean;
  expired: boolean;
}

interface TokenRow {
  id: string;
  name: string;
  kind: TokenKind;
  scopes: string[];
  daily_mutation_limit: number | null;
  prefix: string;
  secret_hash: Buffer;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const LAST_USED_RESOLUTION_MS = 60_000;
/** Verified tokens kept in memory; past this, the oldest is dropped. */
const VERIFIED_TOKENS_HELD = 10_000;

@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  private readonly lastUsedWritten = new Map<string, number>();
  /** Active tokens by the keyed hash of their secret, as last read from the table. */
  private readonly verified = new Map<string, TokenView>();

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly transactions: Transactions,
    private readonly hasher: TokenHasher,
    private readonly clock: Clock,
  ) {}

  /** Mints a token; the secret is in the answer and nowhere else. */
  async mint(input: MintTokenInput): Promise<TokenView & { token: string }> {
    this.validate(input);
    const tokenId = randomUUID();
    const { token, prefix } = generateToken();
    const context = CommandContexts.current();
    const data: TokenMintedData = {
      tokenId,
      name: input.name,
      kind: input.kind,
      scopes: input.kind === 'full' ? [] : [...new Set(input.scopes)].sort(),
      dailyMutationLimit: input.dailyMutationLimit,
      prefix,
      secretHash: this.hasher.hash(token).toString('base64'),
      expiresAt: input.expiresAt,
      createdBy: context?.actor.tokenId ?? context?.actor.name ?? null,
    };

    await this.transactions.run(async (manager) => {
      await this.aggregates.handle(`token-${tokenId}`, tokenDecider, { kind: 'MintToken', data });
      await manager.query(
        `INSERT INTO access.tokens (id, name, kind, scopes, daily_mutation_limit, prefix,
           secret_hash, created_at, expires_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          tokenId,
          data.name,
          data.kind,
          data.scopes,
          data.dailyMutationLimit,
          prefix,
          Buffer.from(data.secretHash, 'base64'),
          this.clock.now(),
          data.expiresAt,
          data.createdBy,
        ],
      );
    });
    this.logger.log({ msg: 'token minted', tokenId, kind: data.kind, prefix, scopes: data.scopes });

    const view = await this.get(tokenId);
    return { token, ...view };
  }

  async revoke(tokenId: string, reason: string | null): Promise<TokenView> {
    await this.get(tokenId);
    await this.transactions.run(async (manager) => {
      const handled = await this.aggregates.handle(`token-${tokenId}`, tokenDecider, {
        kind: 'RevokeToken',
        tokenId,
        reason,
      });
      await manager.query(`UPDATE access.tokens SET revoked_at = $2 WHERE id = $1`, [
        tokenId,
        handled.state.revokedAt,
      ]);
    });
    this.forget(tokenId);
    this.logger.log({ msg: 'token revoked', tokenId });
    return this.get(tokenId);
  }

  async list(): Promise<TokenView[]> {
    const rows: TokenRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM access.tokens ORDER BY created_at, id`);
    return rows.map(toView);
  }

  async get(tokenId: string): Promise<TokenView> {
    const rows: TokenRow[] = await this.transactions
      .current()
      .query(`SELECT * FROM access.tokens WHERE id = $1`, [tokenId]);
    if (rows.length === 0) throw new NotFoundError('token', tokenId);
    return toView(rows[0]);
  }

  async count(): Promise<number> {
    const [row] = await this.transactions
      .current()
      .query(`SELECT count(*)::int AS n FROM access.tokens`);
    return row.n;
  }

  /**
   * The token behind a bearer secret, or undefined; compares hashes in
   * constant time. With `cached`, a token verified before is answered from
   * memory without its revocation: only for callers that check revocation
   * themselves, as every mutation does in its transaction (the ledger).
   */
  async authenticate(
    secret: string,
    options: { cached?: boolean } = {},
  ): Promise<AuthenticatedToken | undefined> {
    const parsed = parseToken(secret);
    if (!parsed) return undefined;

    const hash = this.hasher.hash(secret);
    const hashKey = hash.toString('base64');
    const known = options.cached ? this.verified.get(hashKey) : undefined;
    if (known) return this.authenticated(known, null);

    const candidates: TokenRow[] = await this.transactions.detached(() =>
      this.transactions.dataSource.query(`SELECT * FROM access.tokens WHERE prefix = $1`, [
        parsed.prefix,
      ]),
    );
    const row = candidates.find((candidate) => this.hasher.same(hash, candidate.secret_hash));
    if (!row) return undefined;

    const view = toView(row);
    if (row.revoked_at === null) this.remember(hashKey, view);
    return this.authenticated(view, row.revoked_at);
  }

  /** Drops a token from memory: it was revoked, here or in another process. */
  forget(tokenId: string): void {
    for (const [hash, view] of this.verified) {
      if (view.id === tokenId) this.verified.delete(hash);
    }
  }

  private remember(hash: string, view: TokenView): void {
    if (this.verified.size >= VERIFIED_TOKENS_HELD) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(hash, view);
  }

  private authenticated(view: TokenView, revokedAt: Date | null): AuthenticatedToken {
    const now = this.clock.now();
    this.touch(view.id, now);
    return {
      ...view,
      revoked: revokedAt !== null,
      expired: view.expiresAt !== null && Date.parse(view.expiresAt) <= now.getTime(),
    };
  }

  /** lastUsedAt at minute resolution, written off the request path. */
  private touch(tokenId: string, now: Date): void {
    const last = this.lastUsedWritten.get(tokenId) ?? 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) return;

    this.lastUsedWritten.set(tokenId, now.getTime());
    void this.transactions
      .detached(() =>
        this.transactions.dataSource.query(
          `UPDATE access.tokens SET last_used_at = $2 WHERE id = $1`,
          [tokenId, now],
        ),
      )
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'could not record token use', tokenId, err: error }),
      );
  }

  private validate(input: MintTokenInput): void {
    const unknown = input.scopes.filter((scope) => !isScope(scope));
    if (unknown.length > 0) {
      throw new ValidationError(`unknown scopes: ${unknown.join(', ')}`, [
        { field: 'scopes', message: `each must be one of ${ALL_SCOPES.join(', ')}` },
      ]);
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= this.clock.now().getTime()) {
      throw new ValidationError('expiresAt must be in the future', [
        { field: 'expiresAt', message: 'must be in the future' },
      ]);
    }
  }
}

function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    scopes: row.scopes,
    dailyMutationLimit: row.daily_mutation_limit,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}
