import { Request } from 'express';

import { Environment } from '@observe/config';

export const MCP_HTTP_OPTIONS = Symbol('MCP_HTTP_OPTIONS');

export interface McpHttpOptions {
  /** Browser origins allowed besides local ones, e.g. `https://agents.example.com`. */
  allowedOrigins?: readonly string[];
}

const SAFE_HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/;

/** Where clients reach this API: PUBLIC_BASE_URL, else what the request says. */
export function publicBaseUrl(environment: Environment, request: Request): string {
  if (environment.PUBLIC_BASE_URL) return environment.PUBLIC_BASE_URL.replace(/\/+$/, '');

  const host = request.get('host');
  return `${request.protocol}://${host !== undefined && SAFE_HOST.test(host) ? host : 'localhost'}`;
}

/** The RFC 9728 metadata of the /mcp resource, named in the 401 challenge. */
export function protectedResourceMetadataUrl(baseUrl: string): string {
  return `${baseUrl}/.well-known/oauth-protected-resource/mcp`;
}
