import { deterministicUuid } from './deterministic-uuid';

describe('deterministicUuid', () => {
  it('gives one version-5-shaped UUID per list of parts', () => {
    const id = deterministicUuid('incident-1', 'escalation', 2);

    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('incident-1', 'escalation', 2)).toBe(id);
    expect(deterministicUuid('incident-1', 'escalation', 3)).not.toBe(id);
  });
});
