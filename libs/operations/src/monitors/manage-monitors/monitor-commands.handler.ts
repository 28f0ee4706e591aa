import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';

import { AggregateRepository } from '@observe/commands';
import { ServiceDirectory } from '@observe/context-graph';
import { Clock, NotFoundError, ValidationError } from '@observe/core';

import { MonitorTargetGuard } from '../checks/monitor-target-guard';
import { CredentialCipher } from '../credentials/credential-cipher';
import { readCredentials } from '../credentials/monitor-credentials';
import {
  initialMonitorState,
  MonitorCommand,
  MonitorKind,
  MonitorState,
  SealedCredentials,
} from '../domain';
import { monitorAggregate, monitorStream, presentMonitor } from '../monitor.aggregate';
import { MonitorQueries } from '../read-model/monitor.queries';
import { MonitorView, toMonitorView } from '../read-model/monitor.view';

export interface CreateMonitorInput {
  name: string;
  service: string;
  kind: MonitorKind;
  settings: Record<string, unknown>;
  /** Plaintext as the caller sent it; sealed here and never kept otherwise. */
  credentials?: unknown;
}

export interface TuneMonitorInput {
  name?: string;
  settings?: Record<string, unknown>;
  /** New credentials, or null to remove them; absent leaves them as they are. */
  credentials?: unknown;
}

/**
 * Creates, tunes, pauses and resumes monitors. Credentials are sealed the
 * moment they arrive: only ciphertext reaches the events, and answers say
 * no more than whether they are set. Nothing here logs them.
 */
@Injectable()
export class MonitorCommandsHandler {
  private readonly logger = new Logger(MonitorCommandsHandler.name);

  constructor(
    private readonly aggregates: AggregateRepository,
    private readonly services: ServiceDirectory,
    private readonly targets: MonitorTargetGuard,
    private readonly cipher: CredentialCipher,
    private readonly queries: MonitorQueries,
    private readonly clock: Clock,
  ) {}

  async create(input: CreateMonitorInput): Promise<MonitorView> {
    if (!(await this.services.find(input.service))) {
      throw new NotFoundError('service', input.service);
    }
    if (input.kind === 'http') await this.checkTarget(input.settings);
    const monitorId = randomUUID();

    const handled = await this.aggregates.handle(monitorStream(monitorId), monitorAggregate, {
      type: 'CreateMonitor',
      data: {
        monitorId,
        name: input.name,
        service: input.service,
        kind: input.kind,
        settings: input.settings,
        credentials: this.seal(input.credentials, monitorId),
      },
    });

    const monitor = presentMonitor(handled.state);
    this.logger.log({
      msg: 'monitor created',
      monitorId,
      service: monitor.service,
      kind: monitor.kind,
      credentialsSet: monitor.credentials !== null,
    });
    return toMonitorView(monitor, await this.queries.health(monitorId));
  }

  async tune(monitorId: string, input: TuneMonitorInput): Promise<MonitorView> {
    const changes: MonitorCommand[] = [];
    if (input.name !== undefined || input.settings !== undefined) {
      changes.push({
        type: 'TuneMonitor',
        data: { monitorId, name: input.name, settings: input.settings },
      });
    }
    if (input.credentials !== undefined) {
      changes.push({
        type: 'ReplaceMonitorCredentials',
        data: { monitorId, credentials: this.seal(input.credentials, monitorId) },
      });
    }
    if (changes.length === 0) {
      const message = 'give a name, settings or credentials to change';
      throw new ValidationError(message, [{ field: 'settings', message }]);
    }
    if (input.settings) await this.checkTarget(input.settings);

    let state: MonitorState = initialMonitorState;
    for (const change of changes) state = await this.handle(change);

    const monitor = presentMonitor(state);
    this.logger.log({
      msg: 'monitor tuned',
      monitorId,
      nameChanged: input.name !== undefined,
      settings: Object.keys(input.settings ?? {}),
      credentialsChanged: input.credentials !== undefined,
    });
    return toMonitorView(monitor, await this.queries.health(monitorId));
  }

  async pause(monitorId: string, reason: string | null): Promise<MonitorView> {
    const monitor = presentMonitor(
      await this.handle({ type: 'PauseMonitor', data: { monitorId, reason } }),
    );
    this.logger.log({ msg: 'monitor paused; no checks until resumed', monitorId });
    return toMonitorView(monitor, await this.queries.health(monitorId));
  }

  async resume(monitorId: string): Promise<MonitorView> {
    const monitor = presentMonitor(
      await this.handle({ type: 'ResumeMonitor', data: { monitorId } }),
    );
    this.logger.log({ msg: 'monitor resumed', monitorId });
    return toMonitorView(monitor, await this.queries.health(monitorId));
  }

  private async handle(command: MonitorCommand) {
    const handled = await this.aggregates.handle(
      monitorStream(command.data.monitorId),
      monitorAggregate,
      command,
    );
    return handled.state;
  }

  private seal(given: unknown, monitorId: string): SealedCredentials | null {
    if (given === undefined || given === null) return null;
    const credentials = readCredentials(given);
    return {
      ciphertext: this.cipher.seal(credentials, monitorId),
      updatedAt: this.clock.now().toISOString(),
    };
  }

  private async checkTarget(settings: Record<string, unknown>): Promise<void> {
    if (typeof settings.url === 'string') await this.targets.assertAllowed(settings.url);
  }
}
