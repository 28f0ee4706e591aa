import { ManualClock } from '@observe/core';

import { TestApp } from '../../../../test/support/test-app';
import { agentGet, agentPost, auth, registerServices } from '../testing/operations-fixtures';
import { startOperationsTestApp } from '../testing/operations-test-app';

/**
 * New York springs forward at 02:00 on 2026-03-08: the 09:00 handoffs stay at
 * 09:00 local, so the turn across the change lasts 23 hours.
 */
describe('on-call schedules (e2e)', () => {
  const clock = new ManualClock('2026-03-05T12:00:00Z');
  let platform: TestApp;
  let agent: string;
  let scheduleId: string;

  beforeAll(async () => {
    platform = await startOperationsTestApp({ label: 'on_call', clock });
    await registerServices(platform, { id: 'payments', members: ['ana', 'ben', 'cho'] }, [
      'payments-api',
    ]);
    agent = (
      await platform.mintToken(['on-call:write', 'on-call:read', 'incidents:write', 'context:read'])
    ).token;

    const created = await agentPost(platform, agent, '/api/v1/on-call/schedules', {
      name: 'Payments primary',
      timeZone: 'America/New_York',
      teamId: 'payments',
      layers: [
        {
          name: 'primary',
          members: ['ana', 'ben', 'cho'],
          rotation: 'daily',
          handoffTime: '09:00',
          startsAt: '2026-03-06T09:00:00-05:00',
        },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.events.map((event: { type: string }) => event.type)).toEqual([
      'ScheduleCreated',
      'ScheduleTeamAssigned',
    ]);
    scheduleId = created.body.id;
  });

  afterAll(async () => {
    await platform.close();
  });

  const onCallAt = async (at: string) => {
    const response = await agentGet(
      platform,
      agent,
      `/api/v1/on-call/schedules/${scheduleId}/on-call?at=${encodeURIComponent(at)}`,
    );
    expect(response.status).toBe(200);
    return response.body.onCall;
  };

  it('hands off at 09:00 local time on both sides of the daylight-saving change', async () => {
    const beforeChange = await onCallAt('2026-03-08T08:30:00-04:00');
    const afterHandoff = await onCallAt('2026-03-08T09:00:00-04:00');

    expect(beforeChange).toMatchObject({
      personId: 'ben',
      shiftStart: '2026-03-07T14:00:00.000Z',
      shiftEnd: '2026-03-08T13:00:00.000Z',
    });
    expect(afterHandoff).toMatchObject({
      personId: 'cho',
      shiftStart: '2026-03-08T13:00:00.000Z',
      shiftEnd: '2026-03-09T13:00:00.000Z',
    });
  });

  it('puts the override first across the change, and the rotation back after it', async () => {
    const override = await agentPost(
      platform,
      agent,
      `/api/v1/on-call/schedules/${scheduleId}/overrides`,
      { person: 'zoe', startsAt: '2026-03-08T00:00:00-05:00', endsAt: '2026-03-08T12:00:00-04:00' },
    );
    expect(override.status).toBe(201);
    expect(override.body.events).toEqual([
      expect.objectContaining({ type: 'OnCallOverrideScheduled' }),
    ]);

    expect(await onCallAt('2026-03-08T03:30:00-04:00')).toMatchObject({
      personId: 'zoe',
      source: 'override',
      shiftStart: '2026-03-08T05:00:00.000Z',
      shiftEnd: '2026-03-08T16:00:00.000Z',
    });
    expect(await onCallAt('2026-03-08T12:30:00-04:00')).toMatchObject({
      personId: 'cho',
      shiftStart: '2026-03-08T16:00:00.000Z',
    });

    const team = await agentGet(
      platform,
      agent,
      '/api/v1/on-call/teams/payments/on-call?at=2026-03-08T10:00:00-04:00',
    );
    expect(team.body).toMatchObject({ teamId: 'payments', people: ['zoe'] });

    const shifts = await agentGet(
      platform,
      agent,
      `/api/v1/on-call/schedules/${scheduleId}/shifts` +
        '?from=2026-03-08T00:00:00Z&to=2026-03-09T00:00:00Z',
    );
    expect(shifts.body.data.map((shift: { personId: string }) => shift.personId)).toEqual([
      'ben',
      'zoe',
      'cho',
    ]);
  });

  it('answers for now by the clock, and shows the contacts in the blast radius', async () => {
    clock.set('2026-03-08T15:00:00Z');
    const now = await agentGet(platform, agent, `/api/v1/on-call/schedules/${scheduleId}/on-call`);
    const incident = await platform
      .http()
      .post('/api/v1/incidents')
      .set(auth(platform.fullToken))
      .send({ title: 'payments down', severity: 'critical', service: 'payments-api' });

    const blast = await agentGet(
      platform,
      agent,
      `/api/v1/context/incident/${incident.body.id}/blast`,
    );

    expect(now.body).toMatchObject({ at: '2026-03-08T15:00:00.000Z', onCall: { personId: 'zoe' } });
    const answer = await platform
      .http()
      .get(`/api/v1/incidents/${incident.body.id}`)
      .set(auth(platform.fullToken));
    expect(answer.body.onCall).toEqual([
      expect.objectContaining({
        for: { kind: 'team', id: 'payments' },
        person: expect.objectContaining({ id: 'zoe' }),
      }),
    ]);
    expect(blast.status).toBe(200);
    expect(blast.body.origin.onCall).toEqual([
      expect.objectContaining({
        for: { kind: 'team', id: 'payments' },
        person: expect.objectContaining({ id: 'zoe' }),
        source: `on-call-schedule:${scheduleId}`,
      }),
    ]);
  });

  it('cancels an override that has not started, and refuses bad input with 400', async () => {
    const later = await agentPost(
      platform,
      agent,
      `/api/v1/on-call/schedules/${scheduleId}/overrides`,
      { person: 'dan', startsAt: '2026-03-20T00:00:00Z', endsAt: '2026-03-21T00:00:00Z' },
    );
    const cancelled = await agentPost(
      platform,
      agent,
      `/api/v1/on-call/schedules/${scheduleId}/overrides/${later.body.id}/cancel`,
      {},
    );
    const badZone = await agentPost(platform, agent, '/api/v1/on-call/schedules', {
      name: 'x',
      timeZone: 'Mars/Olympus',
      layers: [{ name: 'a', members: [], rotation: 'weekly', handoffTime: '25:00', startsAt: 'x' }],
    });
    const backwards = await agentPost(
      platform,
      agent,
      `/api/v1/on-call/schedules/${scheduleId}/overrides`,
      { person: 'dan', startsAt: '2026-03-21T00:00:00Z', endsAt: '2026-03-20T00:00:00Z' },
    );

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.overrides.map((each: { id: string }) => each.id)).not.toContain(
      later.body.id,
    );
    expect(badZone.status).toBe(400);
    expect(badZone.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['layers.0.members', 'layers.0.handoffTime', 'layers.0.startsAt']),
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ field: 'endsAt', message: 'must be after startsAt' }]);
  });

  it('refuses an unknown time zone by name', async () => {
    const response = await agentPost(platform, agent, '/api/v1/on-call/schedules', {
      name: 'x',
      timeZone: 'Mars/Olympus',
    });

    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: 'timeZone' });
  });
});
