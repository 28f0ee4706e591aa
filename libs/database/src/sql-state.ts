/** The SQLSTATE of a PostgreSQL error, as the driver throws it or as TypeORM wraps it. */
export function sqlStateOf(error: unknown): string | undefined {
  const failure = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = failure?.code ?? failure?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}
