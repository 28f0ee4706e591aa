export type ToolRuntimeErrorCode =
  'invalid_configuration' | 'invalid_call' | 'unknown_tool' | 'invalid_arguments' | 'network';

/**
 * A tool call the runtime cannot send, or could not deliver. The message is
 * written for the model as much as for people: hand it back as the tool
 * result and the model can correct its call.
 */
export class ToolRuntimeError extends Error {
  constructor(
    readonly code: ToolRuntimeErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ToolRuntimeError';
  }
}
