import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

import { isRecord } from '../converter/json-schema';
import { ToolDefinition } from '../converter/tool-definition';
import { ToolRuntimeError } from './tool-runtime.error';

const SHOWN_ERRORS = 5;

/** Checks decoded arguments against a tool's full input schema, compiled once per tool. */
export class ArgumentValidator {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats(this.ajv);
  }

  validate(tool: ToolDefinition, args: unknown): Record<string, unknown> {
    let check = this.compiled.get(tool.name);
    if (check === undefined) {
      check = this.ajv.compile(tool.inputSchema);
      this.compiled.set(tool.name, check);
    }

    if (check(args) && isRecord(args)) return args;
    const errors = (check.errors ?? []).map(describeError);
    const shown = errors.slice(0, SHOWN_ERRORS).join('; ');
    const more = errors.length > SHOWN_ERRORS ? ` (and ${errors.length - SHOWN_ERRORS} more)` : '';
    throw new ToolRuntimeError(
      'invalid_arguments',
      `invalid arguments for ${tool.name}: ${shown || 'expected an object'}${more}`,
      { tool: tool.name, errors },
    );
  }
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath.length === 0 ? '(arguments)' : error.instancePath.slice(1);
  const extra =
    error.keyword === 'additionalProperties' && isRecord(error.params)
      ? ` (${String(error.params.additionalProperty)})`
      : error.keyword === 'enum' && isRecord(error.params)
        ? ` (${JSON.stringify(error.params.allowedValues)})`
        : '';
  return `${path.replace(/\//g, '.')} ${error.message ?? 'is invalid'}${extra}`;
}
