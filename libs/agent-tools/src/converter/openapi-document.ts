/**
 * The parts of an OpenAPI 3.0 / 3.1 document the converter reads. Kept loose
 * on purpose: the document may be `@nestjs/swagger`'s `OpenAPIObject` or JSON
 * read from disk, and every field is checked as it is read.
 */
export interface OpenApiDocument {
  openapi: string;
  paths?: object;
  components?: object;
  security?: readonly object[];
}

/** Extensions the converter understands on an operation. */
export const OPERATION_EXTENSIONS = {
  /** The scope the route declares, e.g. `incidents:write`. */
  requiredScope: 'x-required-scope',
  /** `true`: a scoped (agent) token may never call it. */
  fullTokenOnly: 'x-full-token-only',
  /** `true`: a POST that destroys (disabling a rule), not just DELETE. */
  destructive: 'x-destructive',
  /** Words for the description, e.g. "resolves the incident". */
  sideEffect: 'x-side-effect',
  /** `false`: not offered as a tool (health checks, file uploads). */
  agentTool: 'x-agent-tool',
  /** Overrides the name derived from the operationId. */
  toolName: 'x-tool-name',
} as const;
