/**
 * The OpenAPI document cannot become tools as it is. Thrown at build time, so
 * a bad name, a clash or an unsupported schema fails the build, not an agent.
 */
export class ToolConversionError extends Error {
  constructor(
    readonly location: string,
    reason: string,
  ) {
    super(`${location}: ${reason}`);
    this.name = 'ToolConversionError';
  }
}
