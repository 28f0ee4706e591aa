import { startTestApp, TestApp } from '../../../../test/support/test-app';

describe('OpenAPI document (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp({ label: 'openapi' });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('is OpenAPI 3.1, public, and every operation has an id, a summary and its access', async () => {
    const response = await platform.http().get('/openapi.json');

    expect(response.status).toBe(200);
    const document = response.body;
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Record<string, unknown>>).map(([method, op]) => ({
        path,
        method,
        op,
      })),
    );
    expect(operations.length).toBeGreaterThan(3);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, op } of operations) {
      expect(op.summary).toEqual(expect.any(String));
      const declared = op['x-public'] || op['x-required-scope'] || op['x-full-token-only'];
      expect(declared).toBeTruthy();
      if (method !== 'get') {
        const headers = (op.parameters as Array<{ name: string }>).map((p) => p.name);
        expect(headers).toEqual(expect.arrayContaining(['Idempotency-Key', 'X-Agent-Id']));
      }
    }
  });

  it('renders a documentation page at /docs', async () => {
    const response = await platform.http().get('/docs/');

    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger');
  });
});

describe('health (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp({ label: 'health' });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('is live, and ready once the database, event store and message bus answer', async () => {
    const live = await platform.http().get('/health/live');
    const ready = await platform.http().get('/health/ready');

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, 'event-store': { ok: true }, messaging: { ok: true } },
    });
  });
});
