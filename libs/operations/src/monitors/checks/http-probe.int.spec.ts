import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { SsrfGuard } from '../../../../subscriptions/src/delivery';
import { HttpProbe } from './http-probe';
import { MonitorTargetGuard } from './monitor-target-guard';

describe('HttpProbe (int)', () => {
  let server: Server;
  let base: string;
  const probe = new HttpProbe(new MonitorTargetGuard(new SsrfGuard(['127.0.0.0/8'])));

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/slow') return;
      if (request.url === '/moved') {
        response.writeHead(302, { location: 'http://169.254.169.254/' });
        response.end();
        return;
      }
      const status = request.url === '/broken' ? 500 : 200;
      response.writeHead(status, { 'x-saw-auth': String(request.headers.authorization) });
      response.end('body');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const check = (path: string, options: { expectedStatus?: number[]; timeoutMs?: number } = {}) =>
    probe.check({
      url: `${base}${path}`,
      method: 'GET',
      headers: { Authorization: 'Bearer x' },
      timeoutMs: options.timeoutMs ?? 2_000,
      expectedStatus: options.expectedStatus ?? [],
    });

  it('is up on a 2xx and down on anything else unless expected', async () => {
    expect(await check('/health')).toMatchObject({ up: true, status: 200, error: null });
    expect(await check('/broken')).toMatchObject({ up: false, status: 500, error: 'HTTP 500' });
    expect(await check('/broken', { expectedStatus: [500] })).toMatchObject({ up: true });
  });

  it('never follows a redirect', async () => {
    expect(await check('/moved')).toMatchObject({ up: false, status: 302 });
  });

  it('gives up at the timeout', async () => {
    const result = await check('/slow', { timeoutMs: 200 });

    expect(result).toMatchObject({ up: false, status: null, error: 'no response within 200 ms' });
  });

  it('refuses a target the guard does not allow, without connecting', async () => {
    const strict = new HttpProbe(new MonitorTargetGuard(new SsrfGuard([])));

    const result = await strict.check({
      url: `${base}/health`,
      method: 'GET',
      headers: {},
      timeoutMs: 1_000,
      expectedStatus: [],
    });

    expect(result.up).toBe(false);
    expect(result.error).toContain('loopback');
  });
});
