import { ConflictError, NotFoundError, ValidationError } from '@observe/core';

import { deciderSpecification } from '../../on-call/domain/testing/decider-specification';
import { HttpCheckSettings } from './monitor';
import { MonitorCommand } from './monitor.commands';
import { monitorDecider } from './monitor.decider';
import { MonitorCreated, MonitorEvent } from './monitor.events';

const spec = deciderSpecification(monitorDecider);
const now = '2026-03-01T12:00:00.000Z';
const sealed = { ciphertext: 'v1.k.iv.tag.data', updatedAt: now };

function create(fields: Partial<Extract<MonitorCommand, { type: 'CreateMonitor' }>['data']> = {}) {
  return {
    type: 'CreateMonitor' as const,
    data: {
      monitorId: 'm-1',
      name: 'checkout health',
      service: 'checkout',
      kind: 'http' as const,
      settings: { url: 'https://checkout.example.com/health' },
      credentials: null,
      ...fields,
    },
  };
}

const httpSettings: HttpCheckSettings = {
  url: 'https://checkout.example.com/health',
  method: 'GET',
  expectedStatus: [],
  timeoutMs: 10_000,
  intervalSeconds: 60,
  alertAfterFailures: 1,
  severity: 'critical',
};

const created: MonitorCreated = {
  type: 'MonitorCreated',
  data: {
    monitorId: 'm-1',
    name: 'checkout health',
    service: 'checkout',
    credentials: null,
    kind: 'http',
    settings: httpSettings,
  },
};

function tune(data: { name?: string; settings?: Record<string, unknown> }): MonitorCommand {
  return { type: 'TuneMonitor', data: { monitorId: 'm-1', ...data } };
}

describe('CreateMonitor', () => {
  it('creates an http monitor with the defaults filled in', () => {
    spec.given([]).when(create(), now).then([created]);
  });

  it('creates a threshold monitor', () => {
    const command = create({
      kind: 'threshold',
      settings: { metric: 'latency_p99_ms', operator: 'gt', threshold: 800, windowSeconds: 120 },
    });

    spec
      .given([])
      .when(command, now)
      .then([
        {
          type: 'MonitorCreated',
          data: {
            monitorId: 'm-1',
            name: 'checkout health',
            service: 'checkout',
            credentials: null,
            kind: 'threshold',
            settings: {
              metric: 'latency_p99_ms',
              aggregation: 'avg',
              windowSeconds: 120,
              operator: 'gt',
              threshold: 800,
              intervalSeconds: 60,
              severity: 'error',
            },
          },
        },
      ]);
  });

  it('keeps only the sealed credentials', () => {
    const [event] = monitorDecider.decide(
      monitorDecider.initialState,
      create({ credentials: sealed }),
      new Date(now),
    );

    expect(event.data).toMatchObject({ credentials: sealed });
  });

  it.each([
    [{ url: 'ftp://files.example.com' }, 'settings.url'],
    [{ url: 'https://user:pw@example.com' }, 'settings.url'],
    [{ url: 'https://example.com', timeoutMs: 60_000, intervalSeconds: 30 }, 'settings.timeoutMs'],
    [{ url: 'https://example.com', intervalSeconds: 1 }, 'settings.intervalSeconds'],
    [{ url: 'https://example.com', expectedStatus: [700] }, 'settings.expectedStatus'],
    [{ url: 'https://example.com', body: 'x' }, 'settings.body'],
  ])('refuses http settings %j naming %s', (settings, field) => {
    let refusal: unknown;
    try {
      monitorDecider.decide(monitorDecider.initialState, create({ settings }), new Date(now));
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).fieldErrors.map((error) => error.field)).toContain(field);
  });

  it('refuses credentials on a threshold monitor', () => {
    const command = create({
      kind: 'threshold',
      settings: { metric: 'errors', operator: 'gt', threshold: 1 },
      credentials: sealed,
    });

    spec
      .given([])
      .when(command, now)
      .then(ValidationError, /not valid/);
  });

  it('refuses a second monitor with the same id', () => {
    spec.given([created]).when(create(), now).then(ConflictError);
  });
});

describe('TuneMonitor', () => {
  it('merges the given settings over the current ones and names what changed', () => {
    spec
      .given([created])
      .when(tune({ settings: { intervalSeconds: 30, expectedStatus: [204, 200] } }), now)
      .then([
        {
          type: 'MonitorTuned',
          data: {
            monitorId: 'm-1',
            name: 'checkout health',
            changed: ['expectedStatus', 'intervalSeconds'],
            kind: 'http',
            settings: { ...httpSettings, intervalSeconds: 30, expectedStatus: [200, 204] },
          },
        },
      ]);
  });

  it('writes nothing when nothing changes', () => {
    spec
      .given([created])
      .when(tune({ settings: { intervalSeconds: 60 } }), now)
      .then([]);
  });

  it('refuses settings of the other kind', () => {
    spec
      .given([created])
      .when(tune({ settings: { metric: 'x' } }), now)
      .then(ValidationError);
  });

  it('refuses a change to a monitor that does not exist', () => {
    spec
      .given([])
      .when(tune({ name: 'x' }), now)
      .then(NotFoundError);
  });
});

describe('PauseMonitor and ResumeMonitor', () => {
  const paused: MonitorEvent = {
    type: 'MonitorPaused',
    data: { monitorId: 'm-1', pausedAt: now, reason: 'deploy' },
  };

  it('pauses once', () => {
    const pause: MonitorCommand = {
      type: 'PauseMonitor',
      data: { monitorId: 'm-1', reason: 'deploy' },
    };

    spec.given([created]).when(pause, now).then([paused]);
    spec.given([created, paused]).when(pause, now).then([]);
  });

  it('resumes a paused monitor only', () => {
    const resume: MonitorCommand = { type: 'ResumeMonitor', data: { monitorId: 'm-1' } };

    spec
      .given([created, paused])
      .when(resume, now)
      .then([{ type: 'MonitorResumed', data: { monitorId: 'm-1', resumedAt: now } }]);
    spec.given([created]).when(resume, now).then([]);
  });
});

describe('ReplaceMonitorCredentials', () => {
  it('replaces credentials, and removing none writes nothing', () => {
    const replace = (credentials: typeof sealed | null): MonitorCommand => ({
      type: 'ReplaceMonitorCredentials',
      data: { monitorId: 'm-1', credentials },
    });

    spec
      .given([created])
      .when(replace(sealed), now)
      .then([
        { type: 'MonitorCredentialsReplaced', data: { monitorId: 'm-1', credentials: sealed } },
      ]);
    spec.given([created]).when(replace(null), now).then([]);
  });
});
