import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

import { SAFE_ID, ValidationError } from '@observe/core';

/** An agent id path parameter: X-Agent-Id's charset, or a 400 naming it. */
@Injectable()
export class AgentIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && SAFE_ID.test(value)) return value;

    const field = metadata.data ?? 'agentId';
    throw new ValidationError(`${field} is at most 128 of [A-Za-z0-9._:-]`, [
      { field, message: 'at most 128 of [A-Za-z0-9._:-]' },
    ]);
  }
}
