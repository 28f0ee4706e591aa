const SECRET_KEY =
  /secret|password|passphrase|credential|apikey|api_key|authorization|privatekey|^token$/i;
const URL_KEY = /^(url|targetUrl|endpoint)$/i;
export const REDACTED = '[redacted]';

/**
 * Secrets never leave through the audit trail or to scoped tokens: any field
 * named like a secret is masked wherever it sits, and webhook targets too.
 */
export function redactSecrets(value: unknown, options: { urls?: boolean } = {}): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const redacted = redactSecrets(item, options);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return copy ?? value;
  }
  if (value === null || typeof value !== 'object') return value;

  // Copied only where something is masked: most answers hold no secret at all.
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const redacted = redactedField(key, item, options);
    if (redacted !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = redacted;
  }
  return copy ?? value;
}

function redactedField(key: string, item: unknown, options: { urls?: boolean }): unknown {
  if (SECRET_KEY.test(key)) return item === null ? null : REDACTED;
  if (options.urls && URL_KEY.test(key) && typeof item === 'string') return REDACTED;
  return redactSecrets(item, options);
}

/** Webhook URLs are secrets (they often embed tokens): redact them in subscription events. */
export function redactEventData(type: string, data: unknown): unknown {
  return redactSecrets(data, { urls: type.startsWith('Subscription') });
}
