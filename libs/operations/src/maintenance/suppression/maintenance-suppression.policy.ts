import { Injectable } from '@nestjs/common';

import { AlertSuppressionPolicy, IncomingAlert, SuppressionDecision } from '@observe/incidents';

import { MaintenanceSuppression } from './maintenance-suppression';

/**
 * The incidents module's suppression port, backed by maintenance windows:
 * an alert on a service in maintenance opens no incident and pages nobody,
 * and is recorded as `AlertSuppressed` on the window.
 */
@Injectable()
export class MaintenanceSuppressionPolicy extends AlertSuppressionPolicy {
  constructor(private readonly maintenance: MaintenanceSuppression) {
    super();
  }

  async evaluate(alert: IncomingAlert): Promise<SuppressionDecision> {
    const verdict = await this.maintenance.review({
      service: alert.service,
      dedupKey: alert.dedupKey,
      summary: alert.summary,
      severity: alert.severity,
      source: alert.source,
    });
    if (!verdict.suppressed) return { suppressed: false };

    return {
      suppressed: true,
      reason: verdict.reason,
      suppressedBy: { kind: 'maintenance', id: verdict.windowIds[0] },
    };
  }
}
