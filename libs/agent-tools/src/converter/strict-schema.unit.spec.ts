import { lintStrictSchema } from './strict-schema-linter';
import { MAP_NOTE, OPTIONAL_NOTE, SCALAR_NOTE, SET_NOTE, toStrictSchema } from './strict-schema';
import { ObjectJsonSchema } from './tool-definition';
import { JsonSchema } from './json-schema';

function argumentsWith(properties: Record<string, JsonSchema>, required: string[] = []) {
  const schema: ObjectJsonSchema = {
    type: 'object',
    properties,
    required,
    additionalProperties: false,
  };
  return toStrictSchema(schema);
}

describe('toStrictSchema', () => {
  it('lists every property as required and lets optional ones be null', () => {
    const strict = argumentsWith(
      { id: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
      ['id'],
    );

    expect(strict.required).toEqual(['id', 'limit']);
    expect(strict.properties.id).toEqual({ type: 'string' });
    expect(strict.properties.limit).toEqual({
      type: ['integer', 'null'],
      minimum: 1,
      description: OPTIONAL_NOTE,
    });
  });

  it('unions enums and objects with null through anyOf', () => {
    const strict = argumentsWith({
      status: { type: 'string', enum: ['open', 'closed'] },
      filter: { type: 'object', properties: { q: { type: 'string' } } },
    });

    expect(strict.properties.status).toEqual({
      anyOf: [{ type: 'string', enum: ['open', 'closed'] }, { type: 'null' }],
      description: OPTIONAL_NOTE,
    });
    expect(strict.properties.filter).toEqual({
      anyOf: [
        {
          type: 'object',
          properties: { q: { type: ['string', 'null'], description: OPTIONAL_NOTE } },
          required: ['q'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
      description: OPTIONAL_NOTE,
    });
  });

  it('keeps a required nullable field nullable, and wraps an optional nullable one in set', () => {
    const strict = argumentsWith(
      {
        rootCause: { type: ['string', 'null'] },
        assigneeId: { type: ['string', 'null'], format: 'uuid', description: 'Owner' },
      },
      ['rootCause'],
    );

    expect(strict.properties.rootCause).toEqual({ type: ['string', 'null'] });
    expect(strict.properties.assigneeId).toEqual({
      anyOf: [
        {
          type: 'object',
          properties: { set: { type: ['string', 'null'], format: 'uuid' } },
          required: ['set'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
      description: `Owner. ${SET_NOTE}`,
    });
  });

  it('turns typed and free-form maps into lists of key/value entries', () => {
    const strict = argumentsWith(
      {
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        details: { type: 'object', additionalProperties: true, description: 'Context' },
      },
      ['labels', 'details'],
    );

    expect(strict.properties.labels).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: { key: { type: 'string' }, value: { type: 'string' } },
        required: ['key', 'value'],
        additionalProperties: false,
      },
      description: MAP_NOTE,
    });
    expect(strict.properties.details).toMatchObject({
      type: 'array',
      items: {
        properties: {
          value: {
            anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
          },
        },
      },
      description: `Context. ${MAP_NOTE} ${SCALAR_NOTE}`,
    });
  });

  it('rewrites oneOf as anyOf and drops keywords strict mode rejects, saying them in words', () => {
    const strict = argumentsWith(
      {
        target: {
          oneOf: [
            { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
            { type: 'string', format: 'uri', minLength: 1, maxLength: 100 },
          ],
        },
        tags: { type: 'array', uniqueItems: true, maxItems: 5, items: { type: 'string' } },
        mode: { type: 'string', default: 'fast', examples: ['fast'], enum: ['fast', 'slow'] },
      },
      ['target', 'tags', 'mode'],
    );

    expect(strict.properties.target).toEqual({
      anyOf: [
        {
          type: 'object',
          properties: { id: { type: 'string' } },
          required: ['id'],
          additionalProperties: false,
        },
        { type: 'string', description: '1 to 100 characters. Format: uri.' },
      ],
    });
    expect(strict.properties.tags).toEqual({
      type: 'array',
      maxItems: 5,
      items: { type: 'string' },
      description: 'Items must be unique.',
    });
    expect(strict.properties.mode).toEqual({
      type: 'string',
      enum: ['fast', 'slow'],
      description: 'Default: "fast".',
    });
  });

  it('splits a multi-type enum so each branch lists only its own values', () => {
    const strict = argumentsWith({ level: { type: ['string', 'number'], enum: ['max', 1, 2.5] } }, [
      'level',
    ]);

    expect(strict.properties.level).toEqual({
      anyOf: [
        { type: 'string', enum: ['max'] },
        { type: 'number', enum: [1, 2.5] },
      ],
    });
  });

  it('produces schemas the linter accepts for every shape it rewrites', () => {
    const strict = argumentsWith({
      a: { type: ['string', 'integer', 'null'] },
      b: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      c: {},
      d: { type: 'array' },
      e: { type: ['object', 'null'], additionalProperties: { type: 'integer' } },
      f: { enum: ['x', 'y'] },
      g: { type: 'object' },
    });

    expect(lintStrictSchema(strict)).toEqual([]);
  });
});
