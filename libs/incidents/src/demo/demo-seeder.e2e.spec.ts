import { startIncidentsTestApp, TestApp } from '../testing/incidents-test-app';
import { DemoSeeder } from './demo-seeder';

describe('demo data (e2e)', () => {
  let platform: TestApp;
  const get = (path: string) =>
    platform
      .http()
      .get(path)
      .set({ Authorization: `Bearer ${platform.fullToken}` });

  beforeAll(async () => {
    platform = await startIncidentsTestApp({ label: 'demo_seeder' });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('seeds a topology and an incident the analyst explains, once', async () => {
    const seeder = platform.app.get(DemoSeeder);

    const first = await seeder.seed();
    const second = await seeder.seed();

    expect(first).toMatchObject({
      seeded: true,
      services: 12,
      teams: 3,
      incidentId: expect.any(String),
    });
    expect(second).toMatchObject({ seeded: false });
    const incidentId = first.seeded ? first.incidentId : null;
    const services = await get('/api/v1/context/services?limit=100');
    expect(services.body.data).toHaveLength(12);
    let analysis = (await get(`/api/v1/incidents/${incidentId}/analysis`)).body;
    for (let tries = 0; analysis.status === 'pending' && tries < 600; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      analysis = (await get(`/api/v1/incidents/${incidentId}/analysis`)).body;
    }
    expect(analysis.status).toBe('complete');
    expect(analysis.probableCauses[0].title).toContain('payments-api 2.14.0');
    const blast = await get(`/api/v1/context/incident/${incidentId}/blast`);
    expect(
      blast.body.impacted.map((entry: { service: { id: string } }) => entry.service.id),
    ).toEqual(['api-gateway', 'storefront']);
  });
});
