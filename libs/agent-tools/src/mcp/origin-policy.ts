const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Which browser origins may talk to /mcp, against DNS rebinding: a page on
 * another site that resolves its name to this host still sends its own
 * Origin. Requests without Origin (non-browser clients) and local origins
 * are let through; other origins only when allow-listed.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowList: readonly string[] = []) {
    this.allowed = new Set(
      allowList.map((entry) => {
        const origin = normalizeOrigin(entry);
        if (origin === undefined) {
          throw new Error(`not an http(s) origin in the MCP origin allow-list: ${entry}`);
        }
        return origin;
      }),
    );
  }

  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;

    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) return false;
    return this.allowed.has(normalized) || LOCAL_HOSTNAMES.has(new URL(normalized).hostname);
  }
}

/** `scheme://host[:port]` as URL puts it (lower case, default port dropped), or undefined. */
function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
