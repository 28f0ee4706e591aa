export default async function globalTeardown(): Promise<void> {
  await globalThis.__observeStopKafka?.();
  await globalThis.__observeStopPostgres?.();
}
