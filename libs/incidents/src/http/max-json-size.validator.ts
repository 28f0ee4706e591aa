import { ValidateBy, ValidationOptions } from 'class-validator';

/** Refuses a free-form object whose JSON exceeds `bytes`: one field must not hog an event. */
export function MaxJsonSize(bytes: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonSize',
      constraints: [bytes],
      validator: {
        validate: (value: unknown) =>
          value === undefined || Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= bytes,
        defaultMessage: () => `must be at most ${bytes} bytes as JSON`,
      },
    },
    options,
  );
}
