import { REDACTED, redactEventData, redactSecrets } from './redaction';

describe('secret redaction', () => {
  it('masks fields named like secrets wherever they sit, and leaves the input as it was', () => {
    const input = {
      name: 'checkout probe',
      credentials: { username: 'probe', password: 'hunter2' },
      headers: [{ name: 'Authorization', value: 'x' }, { authorization: 'Bearer abc' }],
      apiKey: 'k-1',
      token: 'obs_123',
      tokenId: 'kept',
      signingSecret: null,
    };
    const before = structuredClone(input);

    expect(redactSecrets(input)).toEqual({
      name: 'checkout probe',
      credentials: REDACTED,
      headers: [{ name: 'Authorization', value: 'x' }, { authorization: REDACTED }],
      apiKey: REDACTED,
      token: REDACTED,
      tokenId: 'kept',
      signingSecret: null,
    });
    expect(input).toEqual(before);
  });

  it('answers what holds no secret unchanged, dates included', () => {
    const openedAt = new Date('2026-12-04T10:00:00Z');
    const answer = { id: 'i-1', openedAt, links: [{ url: '/x' }], events: [{ position: '1-2' }] };

    const redacted = redactSecrets(answer) as typeof answer;

    expect(redacted).toEqual(answer);
    expect(JSON.stringify(redacted)).toBe(JSON.stringify(answer));
  });

  it('masks webhook targets in subscription events only', () => {
    const data = { id: 's-1', url: 'https://hooks.example/T0KEN', eventTypes: ['*'] };

    expect(redactEventData('SubscriptionCreated', data)).toEqual({ ...data, url: REDACTED });
    expect(redactEventData('IncidentOpened', data)).toEqual(data);
  });
});
