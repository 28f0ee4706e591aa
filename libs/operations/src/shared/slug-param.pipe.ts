import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

import { SLUG, SLUG_DESCRIPTION } from '@observe/context-graph';
import { ValidationError } from '@observe/core';

/** Team and service ids in paths are the context graph's slugs; else a 400 naming the parameter. */
@Injectable()
export class SlugParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && SLUG.test(value)) return value;

    const field = metadata.data ?? 'id';
    throw new ValidationError(`${field} must be ${SLUG_DESCRIPTION}`, [
      { field, message: SLUG_DESCRIPTION },
    ]);
  }
}
