import { ValidationError } from '@observe/core';

import {
  ResolvedAddress,
  SsrfGuard,
  SsrfRefusedError,
} from '../../../../subscriptions/src/delivery';

/**
 * The webhook SSRF guard, applied to monitor targets: a check must not be a
 * way to probe inside our network. Loopback, private, link-local, metadata
 * and reserved addresses are refused unless WEBHOOK_ALLOWED_CIDRS lists them.
 */
export class MonitorTargetGuard {
  constructor(readonly guard: SsrfGuard) {}

  /** For a new or changed target: a refusal is a 400 on `settings.url`. */
  async assertAllowed(url: string): Promise<void> {
    try {
      await this.guard.assertUrlAllowed(url);
    } catch (error) {
      if (!(error instanceof SsrfRefusedError)) throw error;
      // Malformed URLs are reported by the settings check, in its words.
      if (error.reason === 'invalid-url' || error.reason === 'scheme') return;

      const message = error.message.replace(/^Webhook target/, 'Monitor target');
      throw new ValidationError(message, [{ field: 'settings.url', message }], {
        reason: error.reason,
      });
    }
  }

  /** At check time: the vetted addresses to pin the connection to. */
  resolve(url: string): Promise<ResolvedAddress[]> {
    return this.guard.assertUrlAllowed(url);
  }
}
