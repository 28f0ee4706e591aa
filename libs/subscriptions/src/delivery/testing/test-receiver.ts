import { IncomingHttpHeaders, IncomingMessage, ServerResponse, createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

import { RECEIVER_TLS } from './receiver-tls';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived, for signature checks. */
  body: Buffer;
}

export interface TestReceiver {
  /** `http(s)://127.0.0.1:<port>/hooks/in?source=24observe` */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted, to see reuse and to prove none was opened. */
  connections: number;
  /** The server name (SNI) each TLS client presented. */
  servernames: string[];
  close(): Promise<void>;
}

export type ReceiverHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** Answers every request with one status, headers and body. */
export const answer =
  (status: number, headers: Record<string, string> = {}, body = ''): ReceiverHandler =>
  (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

/**
 * A webhook receiver on 127.0.0.1 that records each request before handing
 * it to `handler`; with `tls`, it serves the `receiver.test` certificate.
 */
export async function startTestReceiver(
  handler: ReceiverHandler,
  options: { tls?: boolean } = {},
): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  const record: ReceiverHandler = (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { method = '', url = '', headers } = request;
      requests.push({ method, url, headers, body: Buffer.concat(chunks) });
      handler(request, response);
    });
  };
  const servernames: string[] = [];
  const server = options.tls
    ? createTlsServer({ cert: RECEIVER_TLS.cert, key: RECEIVER_TLS.key }, record).on(
        'secureConnection',
        (socket: TLSSocket) => {
          servernames.push(typeof socket.servername === 'string' ? socket.servername : '');
        },
      )
    : createServer(record);

  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';

  return {
    url: `${scheme}://127.0.0.1:${port}/hooks/in?source=24observe`,
    port,
    requests,
    servernames,
    get connections() {
      return connections;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
