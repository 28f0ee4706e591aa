import { EnvironmentError, loadEnvironment } from './load-environment';

describe('loadEnvironment', () => {
  it('gives the documented defaults for an empty environment', () => {
    const environment = loadEnvironment({});

    expect(environment).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './.data',
      KAFKA_BROKERS: [],
      IDEMPOTENCY_TTL_HOURS: 24,
    });
    expect(environment.DATABASE_URL).toBeUndefined();
  });

  it('parses lists and numbers', () => {
    const environment = loadEnvironment({ KAFKA_BROKERS: 'a:9092, b:9092', PORT: '8080' });

    expect(environment.KAFKA_BROKERS).toEqual(['a:9092', 'b:9092']);
    expect(environment.PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL'],
    ['EVENTSTORE_URL', 'http://localhost:2113', 'EVENTSTORE_URL'],
    ['IDEMPOTENCY_TTL_HOURS', '1', 'IDEMPOTENCY_TTL_HOURS'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
  ])('refuses %s=%s with a message naming the variable', (variable, value, named) => {
    const load = () => loadEnvironment({ [variable]: value });

    expect(load).toThrow(EnvironmentError);
    expect(load).toThrow(new RegExp(`${named}: .*\\(got "${value.replace(/[/.]/g, '\\$&')}"\\)`));
  });

  it('accepts kurrentdb connection strings', () => {
    const environment = loadEnvironment({ EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false' });

    expect(environment.EVENTSTORE_URL).toBe('kurrentdb://localhost:2113?tls=false');
  });
});
