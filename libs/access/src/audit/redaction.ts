const SECRET_KEY =
  /secret|password|passphrase|credential|apikey|api_key|authorization|privatekey|^token$/i;
const URL_KEY = /^(url|targetUrl|endpoint)$/i;
export const REDACTED = '[redacted]';

/**
 * Secrets never leave through the audit trail or to scoped tokens: any field
 * named like a secret is masked wherever it sits, and webhook targets too.
 */
export function redactSecrets(value: unknown, options: { urls?: boolean } = {}): unknown {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, options));
  if (value === null || typeof value !== 'object') return value;

  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => {
      if (SECRET_KEY.test(key)) return [key, item === null ? null : REDACTED];
      if (options.urls && URL_KEY.test(key) && typeof item === 'string') return [key, REDACTED];
      return [key, redactSecrets(item, options)];
    }),
  );
}

/** Webhook URLs are secrets (they often embed tokens): redact them in subscription events. */
export function redactEventData(type: string, data: unknown): unknown {
  return redactSecrets(data, { urls: type.startsWith('Subscription') });
}
