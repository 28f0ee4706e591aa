import { TestApp } from '../../../../test/support/test-app';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

let keys = 0;
/** A fresh Idempotency-Key: scoped tokens need one on every mutation. */
export function idempotencyKey(): string {
  keys += 1;
  return `test-${process.pid}-${Date.now()}-${keys}`;
}

/** Registers a team and its services in the context graph, with the full token. */
export async function registerServices(
  platform: TestApp,
  team: { id: string; members?: string[] },
  services: string[],
): Promise<void> {
  const teams = await platform
    .http()
    .post('/api/v1/context/teams')
    .set(auth(platform.fullToken))
    .send({ id: team.id, name: team.id, members: (team.members ?? []).map((id) => ({ id })) });
  if (teams.status >= 300) throw new Error(`team: ${teams.status} ${JSON.stringify(teams.body)}`);

  for (const service of services) {
    const response = await platform
      .http()
      .post('/api/v1/context/services')
      .set(auth(platform.fullToken))
      .send({ id: service, name: service, ownerTeam: team.id, tier: 1 });
    if (response.status >= 300) {
      throw new Error(`service: ${response.status} ${JSON.stringify(response.body)}`);
    }
  }
}

/** POSTs as a scoped agent would: bearer token, Idempotency-Key and agent headers. */
export function agentPost(platform: TestApp, token: string, path: string, body: object) {
  return platform
    .http()
    .post(path)
    .set(auth(token))
    .set('Idempotency-Key', idempotencyKey())
    .set('X-Agent-Id', 'ops-agent')
    .send(body);
}

export function agentGet(platform: TestApp, token: string, path: string) {
  return platform.http().get(path).set(auth(token));
}
