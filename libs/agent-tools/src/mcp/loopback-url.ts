import { Request } from 'express';

/**
 * This server's own address, as the connection that brought `request` in
 * reached it: tool calls go back through the front door, so the access
 * guard, idempotency, quota and agent metadata apply to them as to any call.
 */
export function loopbackBaseUrl(request: Request): string {
  const socket = request.socket;
  const address = (socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${socket.localPort}`;
}
