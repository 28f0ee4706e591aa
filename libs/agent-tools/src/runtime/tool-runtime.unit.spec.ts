import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { openApiFixture } from '../testing/openapi-fixture';
import { deriveIdempotencyKey } from './idempotency-key';
import { ToolRuntime, ToolRuntimeOptions } from './tool-runtime';
import { ToolRuntimeError } from './tool-runtime.error';

const INCIDENT = '7f3c1e2a-1b2c-4d5e-8f90-0123456789ab';
const BASE = 'https://observe.example.com';

function makeRuntime(overrides: Partial<ToolRuntimeOptions> = {}): ToolRuntime {
  return new ToolRuntime({
    tools: convertOpenApiToTools(openApiFixture).catalog,
    baseUrl: `${BASE}/`,
    token: 'obs_secret',
    agentId: 'triage-bot',
    conversationId: 'conv-42',
    ...overrides,
  });
}

function openAiCall(name: string, args: unknown, id = 'call_1') {
  return { id, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } };
}

function caught(action: () => unknown): ToolRuntimeError {
  try {
    action();
  } catch (error) {
    if (error instanceof ToolRuntimeError) return error;
    throw error;
  }
  throw new Error('expected a ToolRuntimeError');
}

describe('ToolRuntime.toRequest', () => {
  const runtime = makeRuntime();

  it('builds the same request from OpenAI, Anthropic and LangChain calls', () => {
    const args = { id: INCIDENT, body: { note: 'looking' } };

    const requests = [
      runtime.toRequest(openAiCall('acknowledge_incident', args)),
      runtime.toRequest({
        type: 'function_call',
        call_id: 'call_1',
        name: 'acknowledge_incident',
        arguments: JSON.stringify(args),
      }),
      runtime.toRequest({
        type: 'tool_use',
        id: 'call_1',
        name: 'acknowledge_incident',
        input: args,
      }),
      runtime.toRequest({ name: 'acknowledge_incident', args, id: 'call_1' }),
    ];

    expect(requests[0]).toEqual({
      tool: 'acknowledge_incident',
      method: 'POST',
      url: `${BASE}/api/v1/incidents/${INCIDENT}/acknowledge`,
      headers: {
        Accept: 'application/json, application/problem+json',
        Authorization: 'Bearer obs_secret',
        'X-Agent-Id': 'triage-bot',
        'X-Conversation-Id': 'conv-42',
        'Idempotency-Key': deriveIdempotencyKey([
          'triage-bot',
          'conv-42',
          'acknowledge_incident',
          'call_1',
        ]),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ note: 'looking' }),
    });
    for (const request of requests.slice(1)) expect(request).toEqual(requests[0]);
  });

  it('reuses the Idempotency-Key for the same call id and varies it across calls', () => {
    const args = { id: INCIDENT, body: null };

    const first = runtime.toRequest(openAiCall('acknowledge_incident', args, 'call_a'));
    const retry = runtime.toRequest(openAiCall('acknowledge_incident', args, 'call_a'));
    const other = runtime.toRequest(openAiCall('acknowledge_incident', args, 'call_b'));
    const anonymous = runtime.toRequest({ name: 'acknowledge_incident', args: { id: INCIDENT } });
    const again = runtime.toRequest({ name: 'acknowledge_incident', args: { id: INCIDENT } });

    expect(retry.headers['Idempotency-Key']).toBe(first.headers['Idempotency-Key']);
    expect(other.headers['Idempotency-Key']).not.toBe(first.headers['Idempotency-Key']);
    expect(anonymous.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.headers['Idempotency-Key']).not.toBe(anonymous.headers['Idempotency-Key']);
  });

  it('sends no body and no Idempotency-Key on reads, and fills the query string', () => {
    const request = runtime.toRequest(
      openAiCall('list_incidents', {
        limit: 10,
        cursor: null,
        status: 'triggered',
        severity: ['critical', 'high'],
        serviceId: null,
      }),
    );

    expect(request.method).toBe('GET');
    expect(request.url).toBe(
      `${BASE}/api/v1/incidents?limit=10&status=triggered&severity=critical&severity=high`,
    );
    expect(request.headers).not.toHaveProperty('Idempotency-Key');
    expect(request.headers).not.toHaveProperty('Content-Type');
    expect(request).not.toHaveProperty('body');
  });

  it('URL-encodes path parameters', () => {
    const request = runtime.toRequest({
      name: 'disable_detection_rule',
      args: { ruleKey: 'auth/brute force?ü', body: { reason: 'noisy' } },
    });

    expect(request.url).toBe(
      `${BASE}/api/v1/detections/rules/auth%2Fbrute%20force%3F%C3%BC/disable`,
    );
  });

  it('refuses path parameters a URL would resolve away', () => {
    const disable = (ruleKey: string) =>
      caught(() =>
        runtime.toRequest({
          name: 'disable_detection_rule',
          args: { ruleKey, body: { reason: 'x' } },
        }),
      );

    expect(disable('..').message).toBe(
      'invalid arguments for disable_detection_rule: ruleKey cannot be ".."',
    );
    expect(disable('.').code).toBe('invalid_arguments');
  });

  it('decodes strict-mode arguments: nulls left out, entries as maps, set wrappers', () => {
    const strictArgs = {
      body: {
        title: 'Checkout latency',
        severity: 'high',
        serviceId: INCIDENT,
        description: null,
        dedupKey: null,
        labels: [{ key: 'team', value: 'payments' }],
        details: [
          { key: 'p99', value: 2.5 },
          { key: '__proto__', value: 'kept as data' },
        ],
      },
    };

    const request = runtime.toRequest(openAiCall('open_incident', strictArgs));

    expect(JSON.parse(request.body ?? '')).toEqual({
      title: 'Checkout latency',
      severity: 'high',
      serviceId: INCIDENT,
      labels: { team: 'payments' },
      details: JSON.parse('{"p99":2.5,"__proto__":"kept as data"}'),
    });
  });

  it('tells "leave out" from "set to null" on an optional nullable field', () => {
    const patch = (assigneeId: unknown) =>
      JSON.parse(
        runtime.toRequest(
          openAiCall('update_incident', {
            id: INCIDENT,
            body: { title: null, severity: 'low', assigneeId },
          }),
        ).body ?? '',
      );

    expect(patch(null)).toEqual({ severity: 'low' });
    expect(patch({ set: null })).toEqual({ severity: 'low', assigneeId: null });
    expect(patch({ set: INCIDENT })).toEqual({ severity: 'low', assigneeId: INCIDENT });
  });

  it('keeps an explicit null from a full-schema (Anthropic) call', () => {
    const request = runtime.toRequest({
      type: 'tool_use',
      id: 'toolu_1',
      name: 'update_incident',
      input: { id: INCIDENT, body: { assigneeId: null } },
    });

    expect(JSON.parse(request.body ?? '')).toEqual({ assigneeId: null });
  });

  it('names an unknown tool', () => {
    const error = caught(() => runtime.toRequest(openAiCall('drop_database', {})));

    expect(error.code).toBe('unknown_tool');
    expect(error.message).toBe('unknown tool "drop_database"');
  });

  it('says which arguments are invalid and why', () => {
    const error = caught(() =>
      runtime.toRequest({
        name: 'open_incident',
        args: { body: { title: '', severity: 'catastrophic', serviceId: 'nope', extra: 1 } },
      }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toContain('invalid arguments for open_incident:');
    expect(error.message).toContain('body.title must NOT have fewer than 1 characters');
    expect(error.message).toContain('body.severity must be equal to one of the allowed values');
    expect(error.message).toContain('body.serviceId must match format "uuid"');
  });

  it('refuses a missing path parameter, broken JSON and a duplicated map key', () => {
    const missing = caught(() => runtime.toRequest(openAiCall('get_incident', {})));
    const broken = caught(() =>
      runtime.toRequest({
        id: 'c',
        type: 'function',
        function: { name: 'get_incident', arguments: '{"id": ' },
      }),
    );
    const twice = caught(() =>
      runtime.toRequest(
        openAiCall('open_incident', {
          body: {
            title: 't',
            severity: 'low',
            serviceId: INCIDENT,
            labels: [
              { key: 'a', value: '1' },
              { key: 'a', value: '2' },
            ],
          },
        }),
      ),
    );

    expect(missing.message).toContain("must have required property 'id'");
    expect(broken.code).toBe('invalid_arguments');
    expect(broken.message).toBe('the arguments are not valid JSON');
    expect(twice.message).toBe('/body/labels: key "a" twice');
  });

  it('builds its catalog from the OpenAPI document when given one', () => {
    const fromDocument = makeRuntime({ tools: openApiFixture });

    const request = fromDocument.toRequest(openAiCall('get_incident', { id: INCIDENT }));

    expect(fromDocument.catalog.map((tool) => tool.name)).toContain('delete_subscription');
    expect(request.url).toBe(`${BASE}/api/v1/incidents/${INCIDENT}`);
  });

  it('refuses agent headers and tokens the API would reject', () => {
    const error = caught(() => makeRuntime({ agentId: 'bad id\n', token: '' }));

    expect(error.code).toBe('invalid_configuration');
    expect(error.details.problems).toEqual([
      'token must be printable ASCII',
      'agentId must be 1-128 of A-Z a-z 0-9 . _ : -',
    ]);
  });
});

describe('ToolRuntime.execute', () => {
  const runtime = makeRuntime();
  const call = openAiCall('acknowledge_incident', { id: INCIDENT, body: null }, 'call_x');

  function answer(status: number, body?: unknown, headers: Record<string, string> = {}) {
    const text = body === undefined ? null : JSON.stringify(body);
    return new Response(text, {
      status,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
  }

  function scripted(...steps: (Response | Error)[]) {
    const seen: RequestInit[] = [];
    const fetch = jest.fn(async (_url: string | URL | Request, init?: RequestInit) => {
      seen.push(init ?? {});
      const step = steps.shift();
      if (step === undefined) throw new Error('no more scripted answers');
      if (step instanceof Error) throw step;
      return step;
    });
    const sleep = jest.fn(async (_ms: number) => undefined);
    const keys = () => seen.map((init) => new Headers(init.headers).get('idempotency-key'));
    return { fetch, sleep, keys };
  }

  it('returns status, parsed body and headers', async () => {
    const { fetch, sleep } = scripted(answer(200, { ok: 1 }, { 'x-request-id': 'r1' }));

    const result = await runtime.execute(call, { fetch, sleep });

    expect(result).toEqual({
      status: 200,
      ok: true,
      body: { ok: 1 },
      headers: { 'content-type': 'application/json', 'x-request-id': 'r1' },
    });
    expect(fetch).toHaveBeenCalledWith(
      `${BASE}/api/v1/incidents/${INCIDENT}/acknowledge`,
      expect.objectContaining({ method: 'POST', body: undefined }),
    );
  });

  it('retries 503 and 429 after Retry-After with the same Idempotency-Key', async () => {
    const { fetch, sleep, keys } = scripted(
      answer(503, undefined, { 'retry-after': '2' }),
      answer(429, { type: 'quota-exceeded' }, { 'retry-after': '1' }),
      answer(200, { ok: 1 }),
    );

    const result = await runtime.execute(call, { fetch, sleep });

    expect(result.status).toBe(200);
    expect(sleep.mock.calls).toEqual([[2000], [1000]]);
    expect(new Set(keys()).size).toBe(1);
    expect(keys()[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries a 409 only while the same key is in flight (Retry-After)', async () => {
    const inFlight = scripted(answer(409, {}, { 'retry-after': '1' }), answer(200, {}));
    const conflict = scripted(answer(409, { type: 'conflict' }));

    const retried = await runtime.execute(call, inFlight);
    const returned = await runtime.execute(call, conflict);

    expect(retried.status).toBe(200);
    expect(inFlight.fetch).toHaveBeenCalledTimes(2);
    expect(returned.status).toBe(409);
    expect(conflict.fetch).toHaveBeenCalledTimes(1);
  });

  it('returns a 429 whose Retry-After is longer than it will wait', async () => {
    const { fetch, sleep } = scripted(
      answer(429, { type: 'quota-exceeded' }, { 'retry-after': '3600' }),
    );

    const result = await runtime.execute(call, { fetch, sleep });

    expect(result).toMatchObject({ status: 429, ok: false, body: { type: 'quota-exceeded' } });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('retries network failures, then reports them as a network error', async () => {
    const recovered = scripted(new TypeError('fetch failed'), answer(204));
    const lost = scripted(new TypeError('a'), new TypeError('b'), new TypeError('c'));

    const result = await runtime.execute(call, recovered);
    const failure = runtime.execute(call, lost);

    expect(result).toMatchObject({ status: 204, body: null });
    expect(new Set(recovered.keys()).size).toBe(1);
    await expect(failure).rejects.toMatchObject({ code: 'network' });
    expect(lost.fetch).toHaveBeenCalledTimes(3);
  });

  it('does not retry when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const { fetch, sleep } = scripted(Object.assign(new Error('aborted'), { name: 'AbortError' }));

    const result = runtime.execute(call, { fetch, sleep, signal: controller.signal });

    await expect(result).rejects.toThrow('aborted');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('passes problem+json answers through as parsed bodies', async () => {
    const problem = { type: 'https://24observe.dev/problems/full-token-required', status: 403 };
    const { fetch } = scripted(
      new Response(JSON.stringify(problem), {
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );

    const result = await runtime.execute(call, { fetch });

    expect(result).toMatchObject({ status: 403, ok: false, body: problem });
  });
});
