import { randomUUID } from 'node:crypto';

import { ALL_SCOPES } from './scopes/scope-catalog';
import { startTestApp, TestApp } from '../../../test/support/test-app';

interface Operation {
  path: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  operationId: string;
  scope?: string;
  fullTokenOnly?: string;
  isPublic: boolean;
}

/**
 * Every route of the published document, called with a token that has its
 * scope, one that lacks it, and a full token: the expected 2xx/4xx or 403,
 * never a 500. New routes join the matrix by being in the document.
 */
describe('scope matrix (e2e)', () => {
  let platform: TestApp;
  let operations: Operation[];

  beforeAll(async () => {
    platform = await startTestApp({ label: 'scope_matrix' });
    const document = (await platform.http().get('/openapi.json')).body;
    operations = Object.entries(
      document.paths as Record<string, Record<string, Record<string, unknown>>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        path,
        method: method as Operation['method'],
        operationId: String(op.operationId),
        scope: op['x-required-scope'] as string | undefined,
        fullTokenOnly: op['x-full-token-only'] as string | undefined,
        isPublic: op['x-public'] === true,
      })),
    );
  });

  afterAll(async () => {
    await platform.close();
  });

  const call = (operation: Operation, token: string) => {
    const url = operation.path.replace(/\{[^}]+\}/g, () => randomUUID());
    const request = platform.http()[operation.method](url).set('Authorization', `Bearer ${token}`);
    if (operation.method === 'get') return request;
    return request.set('Idempotency-Key', randomUUID()).send({});
  };

  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(3);
  });

  it('gives 403 naming the scope to a token that lacks it, and never 5xx', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => op.scope && !op.fullTokenOnly)) {
      const other = ALL_SCOPES.filter((scope) => scope !== operation.scope);
      const { token } = await platform.mintToken(other.slice(0, 5), 100, 'lacks-scope');

      const response = await call(operation, token);

      if (response.status !== 403 || response.body.requiredScope !== operation.scope) {
        failures.push(`${operation.operationId}: ${response.status} ${response.body.type}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets a token with the scope through the guard (2xx or a 4xx about the input), never 5xx', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => op.scope && !op.fullTokenOnly)) {
      const { token } = await platform.mintToken([operation.scope as string], 100, 'has-scope');

      const response = await call(operation, token);

      if ([401, 403].includes(response.status) || response.status >= 500) {
        failures.push(`${operation.operationId}: ${response.status} ${response.body.type}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses every full-token-only operation to a scoped token holding every scope', async () => {
    const { token } = await platform.mintToken([...ALL_SCOPES], 100, 'all-scopes');
    const failures: string[] = [];

    for (const operation of operations.filter((op) => op.fullTokenOnly)) {
      const response = await call(operation, token);
      if (response.status !== 403 || response.body.type !== '/problems/full-token-required') {
        failures.push(`${operation.operationId}: ${response.status}`);
      }
    }

    expect(operations.some((op) => op.fullTokenOnly)).toBe(true);
    expect(failures).toEqual([]);
  });

  it('lets a full token past every guard without a 5xx', async () => {
    const failures: string[] = [];
    for (const operation of operations.filter((op) => !op.isPublic)) {
      const response = await call(operation, platform.fullToken);
      if ([401, 403].includes(response.status) || response.status >= 500) {
        failures.push(`${operation.operationId}: ${response.status} ${response.body.type}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
