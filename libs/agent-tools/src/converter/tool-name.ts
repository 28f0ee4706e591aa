import { ToolConversionError } from './tool-conversion.error';

/** What OpenAI and Anthropic accept; ours are stricter still (snake_case, 60). */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_TOOL_NAME_LENGTH = 60;

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * `acknowledgeIncident` -> `acknowledge_incident`. Nest's default operation
 * ids (`IncidentsController_list`) lose the `Controller` word. The name is a
 * pure function of the id, so it stays stable from build to build.
 */
export function toolNameFromOperationId(operationId: string): string {
  return operationId
    .replace(/Controller(?=_|$)/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export function assertValidToolName(name: string, location: string): void {
  if (!SNAKE_CASE.test(name)) {
    throw new ToolConversionError(location, `tool name "${name}" is not snake_case`);
  }
  if (name.length > MAX_TOOL_NAME_LENGTH) {
    throw new ToolConversionError(
      location,
      `tool name "${name}" has ${name.length} characters, at most ${MAX_TOOL_NAME_LENGTH}` +
        ' are allowed: shorten the operationId or set x-tool-name',
    );
  }
}
