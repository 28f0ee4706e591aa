import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';

import { CommandContexts, ProducedEvent } from '@observe/commands';
import { Clock, DomainError } from '@observe/core';
import { Transactions } from '@observe/database';
import { PreparedResponse } from '@observe/http';
import { RequestContexts } from '@observe/observability';
import { ProjectionRunner } from '@observe/projections';

import { redactSecrets } from '../audit/redaction';
import { AuthenticatedRequest, isReadMethod, Principal } from '../authentication/principal';
import { DenialRecorder } from '../denials/denial-recorder';
import { ROUTE_ACCESS, RouteAccess } from '../scopes/route-access.decorator';
import { TokenService } from '../tokens/token.service';
import { AgentHeaders, readAgentHeaders } from './agent-headers';
import { MutationLedger, StartedMutation } from './mutation-ledger';
import {
  QuotaState,
  quotaExceeded,
  rateLimitHeaders,
  readQuota,
  secondsUntilUtcMidnight,
} from './mutation-quota';
import { requestFingerprint } from './request-fingerprint';

const MAX_ATTEMPTS = 3;

interface Mutation {
  principal: Principal;
  headers: AgentHeaders;
  fingerprint: string;
  /** The status of a success, stored with its answer. */
  status: number;
  path: string;
}

interface Committed {
  body: unknown;
  quota?: QuotaState;
  produced: ProducedEvent[];
}

/**
 * Every mutation runs here in one transaction: the Idempotency-Key check, the
 * handler's events, the quota count and the stored outcome commit together or
 * not at all. Events carry the agent, conversation and idempotency metadata.
 */
@Injectable()
export class MutationGuardrailsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly transactions: Transactions,
    private readonly ledger: MutationLedger,
    private readonly denials: DenialRecorder,
    private readonly projections: ProjectionRunner,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isReadMethod(request.method) || access?.public || !request.principal) {
      return next.handle();
    }
    return from(this.mutate(context, next, request, request.principal, access?.ingestion === true));
  }

  private async mutate(
    context: ExecutionContext,
    next: CallHandler,
    request: AuthenticatedRequest,
    principal: Principal,
    ingestion: boolean,
  ): Promise<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    const headers = readAgentHeaders((name) => request.header(name));
    if (principal.kind === 'scoped' && !headers.idempotencyKey && !ingestion) {
      throw new DomainError(
        'validation',
        'Scoped tokens must send an Idempotency-Key with every mutation.',
        { required: 'Idempotency-Key' },
        [{ field: 'Idempotency-Key', message: 'required for scoped tokens' }],
      );
    }

    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body);
    const status = this.successStatus(context, request.method);
    const counted = ingestion ? { ...principal, dailyMutationLimit: null } : principal;
    const mutation = { principal: counted, headers, fingerprint, status, path: request.path };
    let careful = false;
    for (let attempt = 1; ;) {
      try {
        const committed = await this.runOnce(next, mutation, careful);
        if (committed.quota) this.setHeaders(response, rateLimitHeaders(committed.quota));
        await this.waitUntilVisible(committed.produced);
        return committed.body;
      } catch (error) {
        // Not plainly new (a replay, a key in flight, a revoked token, a used-up
        // limit): nothing was written; the careful way answers which.
        if (!careful && this.ledger.isUnclaimed(error)) {
          careful = true;
          continue;
        }
        if (
          error instanceof DomainError &&
          error.code === 'concurrency' &&
          attempt < MAX_ATTEMPTS
        ) {
          attempt += 1;
          continue;
        }
        if (error instanceof DomainError && error.code === 'quota_exceeded') {
          this.denials.record({
            tokenId: principal.tokenId,
            agentId: headers.agentId,
            status: 429,
            reason: 'quota-exceeded',
            path: request.path,
          });
        }
        throw error;
      }
    }
  }

  /**
   * One try of the mutation in its transaction. The hopeful way (most
   * mutations) claims it with its first write; the careful way first asks the
   * ledger what it knows of the request and answers from that.
   */
  private async runOnce(
    next: CallHandler,
    mutation: Mutation,
    careful: boolean,
  ): Promise<Committed> {
    const { principal, headers, fingerprint, status } = mutation;
    const request = RequestContexts.current();
    const key = headers.idempotencyKey;
    const limit = principal.dailyMutationLimit;

    const commandContext = {
      actor: {
        kind: principal.kind === 'scoped' ? ('agent' as const) : ('user' as const),
        tokenId: principal.tokenId,
        name: principal.name,
      },
      agentId: headers.agentId,
      conversationId: headers.conversationId,
      idempotencyKey: key,
      correlationId: request?.correlationId ?? request?.requestId ?? fingerprint.slice(0, 32),
      requestId: request?.requestId,
    };

    return CommandContexts.run(commandContext, () =>
      this.transactions.runFolded(async (statements) => {
        const now = this.clock.now();
        if (careful) {
          const begun = await this.ledger.start(statements, principal.tokenId, key, now);
          await this.admit(begun, { ...mutation, now });
        } else {
          this.ledger.claim(statements, principal.tokenId, key, limit, now);
        }

        const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const produced = CommandContexts.current()?.produced ?? [];
        const body = withEvents(result, produced);
        // Secrets are shown once: a replay answers with them masked.
        const outcome = { fingerprint, status, body: key ? redactSecrets(body) : null };
        const used =
          key || limit !== null
            ? await this.ledger.finish(statements, {
                tokenId: principal.tokenId,
                now,
                limit,
                key,
                outcome,
              })
            : null;
        const quota =
          limit === null
            ? undefined
            : {
                limit,
                used: used === 'exhausted' ? limit : (used ?? 0),
                resetSeconds: secondsUntilUtcMidnight(now),
              };
        if (used === 'exhausted' && quota) throw quotaExceeded(quota);
        return { body, quota, produced };
      }),
    );
  }

  /**
   * Refuses a mutation the ledger's first answer rules out: a revoked token
   * (the guard may have answered from its cache), a key still in flight, a
   * stored outcome (answered again instead), or a used-up daily limit.
   */
  private async admit(begun: StartedMutation, request: Mutation & { now: Date }): Promise<void> {
    const { principal, headers, now } = request;
    if (!begun.tokenActive) {
      this.tokens.forget(principal.tokenId);
      this.denials.record({
        tokenId: principal.tokenId,
        agentId: headers.agentId,
        status: 401,
        reason: 'revoked-token',
        path: request.path,
      });
      throw new DomainError('unauthenticated', 'The token is revoked.');
    }
    if (!begun.locked) {
      throw new DomainError(
        'idempotency_in_flight',
        'A request with this Idempotency-Key is still running; retry shortly.',
        { retryAfterSeconds: 1 },
      );
    }
    if (begun.stored) await this.replay(begun.stored, request.fingerprint, principal, now);

    const limit = principal.dailyMutationLimit;
    if (limit !== null && begun.used >= limit) {
      throw quotaExceeded({ limit, used: begun.used, resetSeconds: secondsUntilUtcMidnight(now) });
    }
  }

  /** A stored outcome is answered again: no handler, no event, no quota. */
  private async replay(
    stored: { fingerprint: string; status: number; body: unknown },
    fingerprint: string,
    principal: Principal,
    now: Date,
  ): Promise<never> {
    if (stored.fingerprint !== fingerprint) {
      throw new DomainError(
        'idempotency_mismatch',
        'This Idempotency-Key was already used with a different method, URL or body.',
      );
    }
    const quota =
      principal.dailyMutationLimit === null
        ? {}
        : rateLimitHeaders(
            await readQuota(
              this.transactions.current(),
              principal.tokenId,
              principal.dailyMutationLimit,
              now,
            ),
          );
    throw new PreparedResponse(stored.status, stored.body, {
      'Idempotent-Replayed': 'true',
      ...quota,
    });
  }

  /** Read-your-writes: answer once the read models show this mutation. */
  private async waitUntilVisible(produced: ProducedEvent[]): Promise<void> {
    await this.projections.waitForEvents(produced);
  }

  private successStatus(context: ExecutionContext, method: string): number {
    const declared = this.reflector.get<number | undefined>(
      HTTP_CODE_METADATA,
      context.getHandler(),
    );
    return declared ?? (method === 'POST' ? 201 : 200);
  }

  private setHeaders(response: Response, headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  }
}

/** A mutation answers with the resource and the events it produced. */
function withEvents(result: unknown, produced: ProducedEvent[]): unknown {
  const events = produced.map(({ eventId, type, position }) => ({ eventId, type, position }));
  if (result !== null && typeof result === 'object' && !Array.isArray(result)) {
    return { ...(result as Record<string, unknown>), events };
  }
  return { data: result ?? null, events };
}
