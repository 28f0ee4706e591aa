import { ENVIRONMENT, Environment } from '@observe/config';
import { DataSource } from 'typeorm';

import { SsrfGuard } from '../../../subscriptions/src/delivery';
import { Capability } from '../shared/capability';
import { HttpProbe } from './checks/http-probe';
import { MonitorRunner } from './checks/monitor-runner';
import { MonitorTargetGuard } from './checks/monitor-target-guard';
import { CredentialCipher } from './credentials/credential-cipher';
import { loadSecretsKey } from './credentials/secrets-key.provider';
import { MonitorsController } from './http/monitors.controller';
import { MonitorCommandsHandler } from './manage-monitors/monitor-commands.handler';
import { MetricPoints } from './metrics/metric-points';
import { MetricsController } from './metrics/metrics.controller';
import { MonitorQueries } from './read-model/monitor.queries';
import { monitorsProjection } from './read-model/monitors.projection';
import { monitorRunsSchema, monitorsSchema } from './read-model/monitors.schema';

export const monitorsCapability: Capability = {
  controllers: [MonitorsController, MetricsController],
  providers: [
    {
      provide: CredentialCipher,
      inject: [DataSource, ENVIRONMENT],
      useFactory: async (dataSource: DataSource, environment: Environment) =>
        new CredentialCipher(await loadSecretsKey(dataSource, environment.SECRETS_ENCRYPTION_KEY)),
    },
    {
      // Monitor targets obey the same allow-list as webhook targets.
      provide: MonitorTargetGuard,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) =>
        new MonitorTargetGuard(new SsrfGuard(environment.WEBHOOK_ALLOWED_CIDRS)),
    },
    {
      provide: HttpProbe,
      inject: [MonitorTargetGuard],
      useFactory: (targets: MonitorTargetGuard) => new HttpProbe(targets),
    },
    MonitorQueries,
    MonitorCommandsHandler,
    MetricPoints,
    MonitorRunner,
  ],
  projections: [monitorsProjection],
  schemas: [monitorsSchema, monitorRunsSchema],
};
