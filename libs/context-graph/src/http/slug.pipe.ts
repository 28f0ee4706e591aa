import { PipeTransform } from '@nestjs/common';

import { ValidationError } from '@observe/core';

import { SLUG, SLUG_DESCRIPTION } from '../domain/identifiers';

/** Path ids of services and teams: a 400 problem names the parameter when malformed. */
export class ParseSlugPipe implements PipeTransform<string, string> {
  constructor(private readonly parameter = 'id') {}

  transform(value: string): string {
    if (typeof value === 'string' && SLUG.test(value)) return value;
    throw new ValidationError(`${this.parameter} must be ${SLUG_DESCRIPTION}`, [
      { field: this.parameter, message: SLUG_DESCRIPTION },
    ]);
  }
}
