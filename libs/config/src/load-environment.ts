import { environmentSchema, Environment } from './environment.schema';

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

/** The one place that reads process.env. */
export function loadEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const result = environmentSchema.safeParse(source);
  if (result.success) return result.data;

  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.');
    const received = source[variable];
    const shown = received === undefined ? 'unset' : JSON.stringify(received);
    return `${variable}: ${issue.message} (got ${shown})`;
  });
  throw new EnvironmentError(problems);
}
