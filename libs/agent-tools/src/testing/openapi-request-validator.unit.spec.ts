import { openApiFixture } from './openapi-fixture';
import { HttpRequestLike, OpenApiRequestValidator } from './openapi-request-validator';

const INCIDENT = '7f3c1e2a-1b2c-4d5e-8f90-0123456789ab';
const GUARDRAILS = {
  Authorization: 'Bearer obs_x',
  'Idempotency-Key': '2b0d5c3e-4f1a-4b6c-9d7e-8f9a0b1c2d3e',
  'X-Agent-Id': 'bot',
  'X-Conversation-Id': 'conv',
  'Content-Type': 'application/json',
};

/** The property test trusts this validator, so it must catch what a server would refuse. */
describe('OpenApiRequestValidator', () => {
  const validator = new OpenApiRequestValidator(openApiFixture);
  const resolve: HttpRequestLike = {
    method: 'POST',
    url: `https://observe.example.com/api/v1/incidents/${INCIDENT}/resolve`,
    headers: GUARDRAILS,
    body: JSON.stringify({ resolution: 'rolled back', followUps: [{ title: 'add alert' }] }),
  };

  it('accepts a well-formed request', () => {
    expect(validator.validate(resolve)).toEqual([]);
  });

  it.each([
    ['an unknown path', { url: 'https://observe.example.com/api/v1/nope' }],
    ['a path parameter of the wrong format', { url: resolve.url.replace(INCIDENT, 'abc') }],
    ['a missing guardrail header', { headers: { ...GUARDRAILS, 'X-Agent-Id': undefined } }],
    ['a missing bearer token', { headers: { ...GUARDRAILS, Authorization: 'Basic x' } }],
    ['a body that breaks its schema', { body: JSON.stringify({ followUps: [{}] }) }],
    ['a body of the wrong type', { body: JSON.stringify({ resolution: 5 }) }],
    ['a missing required body', { body: undefined }],
  ])('refuses %s', (_what, change) => {
    const request = { ...resolve, ...change } as HttpRequestLike;
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([, value]) => value !== undefined),
    );

    expect(validator.validate({ ...request, headers })).not.toEqual([]);
  });

  it('checks query parameters: types, enums, required and undeclared ones', () => {
    const list = (query: string) =>
      validator.validate({
        method: 'GET',
        url: `https://observe.example.com/api/v1/incidents?${query}`,
        headers: GUARDRAILS,
      });
    const blast = (query: string) =>
      validator.validate({
        method: 'GET',
        url: `https://observe.example.com/api/v1/services/${INCIDENT}/blast-radius?${query}`,
        headers: GUARDRAILS,
      });

    expect(list('limit=5&severity=high&severity=low')).toEqual([]);
    expect(list('limit=500')).not.toEqual([]);
    expect(list('status=sleeping')).not.toEqual([]);
    expect(list('colour=red')).toEqual(['query colour is not declared']);
    expect(blast('depth=2')).toEqual([]);
    expect(blast('')).toEqual(['query depth missing']);
  });
});
