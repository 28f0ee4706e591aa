import { INestApplicationContext } from '@nestjs/common';

import { ManualClock } from '@observe/core';

import { TestApp } from '../../../../test/support/test-app';
import { OperationsScheduler } from '../operations-scheduler';
import { eventually } from '../testing/eventually';
import { agentPost, auth, registerServices } from '../testing/operations-fixtures';
import { startOperationsProcess, startOperationsTestApp } from '../testing/operations-test-app';

const MINUTE_MS = 60_000;

interface Escalation {
  level: number;
  notified: string[];
}

/**
 * The API and projector in one process, schedulers in others on the same
 * database and clock: timers must fire once whichever scheduler claims them,
 * and survive every scheduler going away.
 */
describe('escalation timers (e2e)', () => {
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  let platform: TestApp;
  let schedulers: INestApplicationContext[] = [];
  let agent: string;

  const startScheduler = async () => {
    const app = await startOperationsProcess({
      databaseUrl: platform.databaseUrl,
      roles: ['scheduler'],
      clock,
    });
    schedulers.push(app);
    return app;
  };
  const stopSchedulers = async () => {
    await Promise.all(schedulers.map((app) => app.close()));
    schedulers = [];
  };
  /** Every scheduler looks for due timers at once, as their ticks may. */
  const tickAll = () => Promise.all(schedulers.map((app) => app.get(OperationsScheduler).tick()));

  beforeAll(async () => {
    platform = await startOperationsTestApp({
      label: 'escalations',
      clock,
      roles: ['api', 'projector'],
    });
    await registerServices(platform, { id: 'payments', members: ['ana'] }, [
      'payments-api',
      'ledger',
    ]);
    agent = (
      await platform.mintToken([
        'escalations:write',
        'escalations:read',
        'on-call:write',
        'alerts:write',
        'incidents:write',
      ])
    ).token;

    const schedule = await agentPost(platform, agent, '/api/v1/on-call/schedules', {
      name: 'Payments primary',
      timeZone: 'Europe/Berlin',
      layers: [
        {
          name: 'primary',
          members: ['ana'],
          rotation: 'daily',
          handoffTime: '09:00',
          startsAt: '2026-02-01T09:00:00+01:00',
        },
      ],
    });
    const policy = await agentPost(platform, agent, '/api/v1/escalation-policies', {
      name: 'Payments',
      levels: [
        { delayMinutes: 10, targets: [{ kind: 'schedule', id: schedule.body.id }] },
        { delayMinutes: 10, targets: [{ kind: 'person', id: 'boss' }] },
      ],
      services: ['payments-api'],
    });
    expect(schedule.status).toBe(201);
    expect(policy.status).toBe(201);
    await startScheduler();
    await startScheduler();
  });

  afterAll(async () => {
    await stopSchedulers();
    await platform.close();
  });

  const openIncident = async (dedupKey: string): Promise<string> => {
    const response = await agentPost(platform, agent, '/api/v1/alerts', {
      service: 'payments-api',
      action: 'trigger',
      dedupKey,
      summary: 'payments failing',
      severity: 'critical',
      source: 'test',
    });
    expect(response.body.outcome).toBe('opened');
    return response.body.incidentId;
  };

  const escalations = async (incidentId: string): Promise<Escalation[]> => {
    const response = await platform
      .http()
      .get(`/api/v1/audit?stream=incident-${incidentId}&type=IncidentEscalated`)
      .set(auth(platform.fullToken));
    return response.body.data.map((entry: { data: Escalation }) => entry.data);
  };

  /** Ticks every scheduler until the incident has `count` escalations. */
  const escalatedTo = (incidentId: string, count: number) =>
    eventually(
      async () => {
        await tickAll();
        const seen = await escalations(incidentId);
        return seen.length >= count ? seen : undefined;
      },
      10_000,
      `${count} escalations of ${incidentId}`,
    );

  it('pages level 0 at once and the next level at its deadline, exactly once', async () => {
    const incidentId = await openIncident('exactly-once');

    const first = await escalatedTo(incidentId, 1);
    expect(first).toEqual([expect.objectContaining({ level: 0, notified: ['ana'] })]);

    clock.advance(9 * MINUTE_MS);
    await tickAll();
    expect(await escalations(incidentId)).toHaveLength(1);

    clock.advance(MINUTE_MS);
    await escalatedTo(incidentId, 2);
    for (let round = 0; round < 5; round += 1) await tickAll();
    const all = await escalations(incidentId);
    expect(all.map((each) => each.level)).toEqual([0, 1]);
    expect(all[1]).toMatchObject({
      notified: ['boss'],
      unstaffedSchedules: [],
      skippedLevels: [],
      reason: 'not acknowledged within 10 minutes of opening',
    });
  });

  it('stops escalating once the incident is acknowledged', async () => {
    const incidentId = await openIncident('acknowledged');
    await escalatedTo(incidentId, 1);

    const ack = await agentPost(platform, agent, `/api/v1/incidents/${incidentId}/acknowledge`, {});
    expect(ack.status).toBe(200);
    clock.advance(30 * MINUTE_MS);
    for (let round = 0; round < 10; round += 1) {
      await tickAll();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    expect((await escalations(incidentId)).map((each) => each.level)).toEqual([0]);
  });

  it('loses no timer when every scheduler restarts in between', async () => {
    const incidentId = await openIncident('restart');
    await escalatedTo(incidentId, 1);

    await stopSchedulers();
    const whileDown = await openIncident('opened-while-down');
    clock.advance(10 * MINUTE_MS);
    await startScheduler();
    await startScheduler();

    const resumed = await escalatedTo(incidentId, 2);
    const caughtUp = await escalatedTo(whileDown, 1);
    expect(resumed.map((each) => each.level)).toEqual([0, 1]);
    // Opened ten minutes ago with nobody running: level 0 is overdue, level 1 now due.
    expect(caughtUp.map((each) => each.level)).toEqual([1]);
    expect(caughtUp[0]).toMatchObject({ skippedLevels: [0] });
  });

  it('moves a service between policies, changes levels, and refuses bad input', async () => {
    const levels = [{ delayMinutes: 5, targets: [{ kind: 'person', id: 'ops' }] }];
    const first = await agentPost(platform, agent, '/api/v1/escalation-policies', {
      name: 'Ledger day',
      levels,
      services: ['ledger'],
    });
    const second = await agentPost(platform, agent, '/api/v1/escalation-policies', {
      name: 'Ledger night',
      levels,
    });

    const moved = await agentPost(
      platform,
      agent,
      `/api/v1/escalation-policies/${second.body.id}/services`,
      { serviceId: 'ledger' },
    );
    const updated = await platform
      .http()
      .patch(`/api/v1/escalation-policies/${second.body.id}`)
      .set(auth(agent))
      .set('Idempotency-Key', `patch-${second.body.id}`)
      .send({ repeat: 2 });
    const following = await platform
      .http()
      .get('/api/v1/escalation-policies?service=ledger')
      .set(auth(agent));
    const before = await platform
      .http()
      .get(`/api/v1/escalation-policies/${first.body.id}`)
      .set(auth(agent));

    expect(moved.status).toBe(200);
    expect(moved.body.events.map((event: { type: string }) => event.type)).toEqual([
      'EscalationPolicyDetached',
      'EscalationPolicyAttached',
    ]);
    expect(updated.body).toMatchObject({ repeat: 2, services: ['ledger'] });
    expect(following.body.data.map((policy: { id: string }) => policy.id)).toEqual([
      second.body.id,
    ]);
    expect(before.body.services).toEqual([]);

    const bad = await agentPost(platform, agent, '/api/v1/escalation-policies', {
      name: '',
      levels: [{ delayMinutes: 0, targets: [{ kind: 'team', id: 'x' }] }],
      repeat: 99,
    });
    const unknown = await agentPost(
      platform,
      agent,
      `/api/v1/escalation-policies/${first.body.id}/services`,
      { serviceId: 'nope' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining([
        'name',
        'levels.0.delayMinutes',
        'levels.0.targets.0.kind',
        'repeat',
      ]),
    );
    expect(unknown.status).toBe(404);
  });
});
