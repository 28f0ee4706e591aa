import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';

import { FieldError, ValidationError } from '@observe/core';

import { memoizeValidationMetadata } from './validation-metadata-memo';

function flatten(errors: ClassValidatorError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator on every body and query: unknown fields are refused, not
 * silently dropped, so an agent learns at once that a field was misspelt.
 */
export function createValidationPipe(): ValidationPipe {
  memoizeValidationMetadata();
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const summary = fieldErrors
        .slice(0, 3)
        .map((error) => `${error.field}: ${error.message}`)
        .join('; ');
      return new ValidationError(`invalid request: ${summary}`, fieldErrors);
    },
  });
}
