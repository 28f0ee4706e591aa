import { DateTime } from 'luxon';

import { FieldError, ValidationError } from '@observe/core';

// An ISO-8601 instant must name its offset; a bare local time would be ambiguous.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Collects field errors so one rejection tells the caller everything to fix. */
export class FieldErrors {
  private readonly errors: FieldError[] = [];

  add(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  throwIfAny(message: string): void {
    if (this.errors.length > 0) {
      throw new ValidationError(message, this.errors);
    }
  }
}

export function isInstant(value: string): boolean {
  return ISO_INSTANT.test(value) && DateTime.fromISO(value).isValid;
}

export function checkText(errors: FieldErrors, field: string, value: string): void {
  if (value.trim() === '') {
    errors.add(field, 'must not be empty');
  }
}

export function checkInstant(errors: FieldErrors, field: string, value: string): void {
  if (!isInstant(value)) {
    errors.add(field, 'must be an ISO-8601 time with an offset, such as 2026-03-08T09:00:00Z');
  }
}
