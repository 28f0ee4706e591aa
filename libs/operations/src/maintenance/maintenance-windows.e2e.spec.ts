import { ManualClock } from '@observe/core';

import { TestApp } from '../../../../test/support/test-app';
import { agentGet, agentPost, registerServices } from '../testing/operations-fixtures';
import { startOperationsTestApp } from '../testing/operations-test-app';

const HOUR_MS = 3_600_000;

describe('maintenance windows (e2e)', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  let platform: TestApp;
  let agent: string;

  beforeAll(async () => {
    platform = await startOperationsTestApp({ label: 'maintenance', clock });
    await registerServices(platform, { id: 'shop' }, ['checkout', 'ledger', 'search']);
    agent = (
      await platform.mintToken([
        'maintenance:write',
        'maintenance:read',
        'alerts:write',
        'incidents:read',
      ])
    ).token;
  });

  afterAll(async () => {
    await platform.close();
  });

  const inHours = (hours: number) =>
    new Date(clock.now().getTime() + hours * HOUR_MS).toISOString();
  const trigger = (service: string, dedupKey: string) =>
    agentPost(platform, agent, '/api/v1/alerts', {
      service,
      action: 'trigger',
      dedupKey,
      summary: 'disk almost full',
      severity: 'error',
      source: 'node-exporter',
    });

  it('mutes alerts on a service in maintenance and records them; after it, one opens', async () => {
    const scheduled = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['checkout'],
      startsAt: clock.now().toISOString(),
      endsAt: inHours(2),
      reason: 'database upgrade',
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body).toMatchObject({ status: 'in_progress', services: ['checkout'] });
    expect(scheduled.body.events).toEqual([
      expect.objectContaining({ type: 'MaintenanceScheduled' }),
    ]);
    const windowId = scheduled.body.id;

    const muted = await trigger('checkout', 'disk-1');
    expect(muted.status).toBe(202);
    expect(muted.body).toMatchObject({ outcome: 'suppressed', incidentId: null });
    expect(muted.body.suppression.suppressedBy).toEqual({ kind: 'maintenance', id: windowId });
    expect(muted.body.events).toEqual([expect.objectContaining({ type: 'AlertSuppressed' })]);

    const other = await trigger('ledger', 'disk-1');
    expect(other.body.outcome).toBe('opened');

    const window = await agentGet(platform, agent, `/api/v1/maintenance-windows/${windowId}`);
    expect(window.status).toBe(200);
    expect(window.body).toMatchObject({ suppressedAlertCount: 1 });
    expect(window.body.suppressedAlerts).toEqual([
      expect.objectContaining({ service: 'checkout', dedupKey: 'disk-1', windowIds: [windowId] }),
    ]);
    const byService = await agentGet(
      platform,
      agent,
      '/api/v1/maintenance-windows/suppressed-alerts?service=checkout',
    );
    expect(byService.body.data).toHaveLength(1);
    const incidents = await agentGet(platform, agent, '/api/v1/incidents?service=checkout');
    expect(incidents.body.data).toEqual([]);

    clock.advance(2 * HOUR_MS);

    const over = await agentGet(platform, agent, `/api/v1/maintenance-windows/${windowId}`);
    expect(over.body.status).toBe('over');
    const paged = await trigger('checkout', 'disk-1');
    expect(paged.body.outcome).toBe('opened');
    expect(paged.body.incidentId).toEqual(expect.any(String));
  });

  it('ends a started window early, so alerts page again from then', async () => {
    const window = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['search'],
      startsAt: clock.now().toISOString(),
      endsAt: inHours(4),
      reason: 'reindex',
    });
    clock.advance(HOUR_MS);

    const cancel = await agentPost(
      platform,
      agent,
      `/api/v1/maintenance-windows/${window.body.id}/cancel`,
      {},
    );
    const end = await agentPost(
      platform,
      agent,
      `/api/v1/maintenance-windows/${window.body.id}/end`,
      {},
    );

    expect(cancel.status).toBe(409);
    expect(cancel.headers['content-type']).toContain('application/problem+json');
    expect(end.status).toBe(200);
    expect(end.body).toMatchObject({ status: 'over', endedAt: clock.now().toISOString() });
    expect((await trigger('search', 'reindex-lag')).body.outcome).toBe('opened');
  });

  it('composes overlapping windows: muted until the last one ends', async () => {
    const first = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['ledger', 'checkout'],
      startsAt: clock.now().toISOString(),
      endsAt: inHours(1),
      reason: 'network change',
    });
    const second = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['ledger'],
      startsAt: inHours(0.5),
      endsAt: inHours(3),
      reason: 'failover test',
    });
    expect(second.body.status).toBe('upcoming');

    clock.advance(0.75 * HOUR_MS);
    const during = await trigger('ledger', 'overlap-1');
    clock.advance(HOUR_MS);
    const afterFirst = await trigger('ledger', 'overlap-2');
    const onCheckout = await trigger('checkout', 'overlap-3');

    expect(during.body.outcome).toBe('suppressed');
    expect(during.body.suppression.reason).toContain(second.body.id);
    expect(afterFirst.body.outcome).toBe('suppressed');
    expect(onCheckout.body.outcome).toBe('opened');
    const listed = await agentGet(platform, agent, `/api/v1/maintenance-windows/${first.body.id}`);
    expect(
      listed.body.suppressedAlerts.map((alert: { dedupKey: string }) => alert.dedupKey),
    ).toEqual(['overlap-1']);
  });

  it('extends a window, and lists windows by service and status', async () => {
    const window = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['search'],
      startsAt: inHours(1),
      endsAt: inHours(2),
      reason: 'planned',
    });

    const extended = await agentPost(
      platform,
      agent,
      `/api/v1/maintenance-windows/${window.body.id}/extend`,
      {
        endsAt: inHours(5),
      },
    );
    const upcoming = await agentGet(
      platform,
      agent,
      '/api/v1/maintenance-windows?service=search&status=upcoming',
    );
    const page = await agentGet(platform, agent, '/api/v1/maintenance-windows?limit=1');

    expect(extended.status).toBe(200);
    expect(extended.body.endsAt).toBe(inHours(5));
    expect(upcoming.body.data.map((each: { id: string }) => each.id)).toEqual([window.body.id]);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await agentGet(
      platform,
      agent,
      `/api/v1/maintenance-windows?limit=1&cursor=${page.body.nextCursor}`,
    );
    expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
  });

  it.each([
    ['an end before the start', { startsAt: 2, endsAt: 1 }, 'endsAt'],
    ['more than 7 days', { startsAt: 1, endsAt: 24 * 8 }, 'endsAt'],
    ['a start far in the past', { startsAt: -1, endsAt: 1 }, 'startsAt'],
  ])('refuses %s with a 400 naming the field', async (_case, hours, field) => {
    const response = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['checkout'],
      startsAt: inHours(hours.startsAt),
      endsAt: inHours(hours.endsAt),
      reason: 'bad times',
    });

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('refuses malformed bodies and unknown services', async () => {
    const malformed = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: [],
      startsAt: 'soon',
      reason: 'x',
      extra: true,
    });
    const unknown = await agentPost(platform, agent, '/api/v1/maintenance-windows', {
      services: ['nope'],
      startsAt: inHours(1),
      endsAt: inHours(2),
      reason: 'x',
    });
    const badId = await agentGet(platform, agent, '/api/v1/maintenance-windows/not-a-uuid');

    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['services', 'startsAt', 'endsAt', 'extra']),
    );
    expect(unknown.status).toBe(404);
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});
