import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

import { ValidationError } from '@observe/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Subscription and delivery ids are UUIDs; anything else is a 400 naming the parameter. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();

    const field = metadata.data ?? 'id';
    throw new ValidationError(`${field} must be a UUID`, [{ field, message: 'must be a UUID' }]);
  }
}
