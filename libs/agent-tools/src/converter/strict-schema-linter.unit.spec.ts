import { lintStrictSchema, StrictLintRule } from './strict-schema-linter';

function closed(properties: Record<string, unknown>) {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

function rules(schema: unknown): StrictLintRule[] {
  return lintStrictSchema(schema).map((issue) => issue.rule);
}

describe('lintStrictSchema', () => {
  it('accepts a closed, fully required schema using only supported keywords', () => {
    const schema = closed({
      id: { type: 'string', format: 'uuid', description: 'Incident id' },
      when: { type: ['string', 'null'], format: 'date-time' },
      limit: { type: 'integer', minimum: 1, maximum: 100 },
      tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, maxItems: 3 },
      kind: { anyOf: [closed({ a: { type: 'string' } }), { type: 'null' }] },
      status: { type: 'string', enum: ['open', 'closed'] },
    });

    expect(lintStrictSchema(schema)).toEqual([]);
  });

  it('requires a plain object at the root', () => {
    expect(rules({ type: 'string' })).toContain('root-not-object');
    expect(rules({ anyOf: [closed({}), { type: 'null' }] })).toContain('root-not-object');
  });

  it('finds open objects and optional properties wherever they nest', () => {
    const open = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const optional = { ...closed({ a: { type: 'string' } }), required: [] };

    const found = lintStrictSchema(
      closed({
        inItems: { type: 'array', items: open },
        inAnyOf: { anyOf: [optional, { type: 'null' }] },
        map: { type: 'object', properties: {}, required: [], additionalProperties: true },
      }),
    );

    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '#/properties/inItems/items', rule: 'object-not-closed' }),
        expect.objectContaining({
          path: '#/properties/inAnyOf/anyOf/0/properties/a',
          rule: 'property-not-required',
        }),
        expect.objectContaining({ path: '#/properties/map', rule: 'object-not-closed' }),
      ]),
    );
  });

  it.each([
    ['allOf', { allOf: [{ type: 'string' }] }],
    ['oneOf', { oneOf: [{ type: 'string' }, { type: 'integer' }] }],
    ['not', { type: 'string', not: { const: 'x' } }],
    ['if', { type: 'string', if: { const: 'a' }, then: { const: 'a' } }],
    ['default', { type: 'string', default: 'x' }],
    ['examples', { type: 'string', examples: ['x'] }],
    ['minLength', { type: 'string', minLength: 1 }],
    ['uniqueItems', { type: 'array', items: { type: 'string' }, uniqueItems: true }],
    ['nullable', { type: 'string', nullable: true }],
  ])('flags %s as unsupported', (keyword, property) => {
    const found = lintStrictSchema(closed({ field: property }));

    expect(found).toContainEqual(
      expect.objectContaining({ path: '#/properties/field', rule: 'unsupported-keyword' }),
    );
    expect(found.some((issue) => issue.message.startsWith(keyword))).toBe(true);
  });

  it('flags formats, patterns and types strict mode does not know', () => {
    expect(rules(closed({ a: { type: 'string', format: 'uri' } }))).toEqual(['unsupported-format']);
    expect(rules(closed({ a: { type: 'string', pattern: '^(?!x)' } }))).toEqual([
      'unsupported-pattern',
    ]);
    expect(rules(closed({ a: { description: 'anything' } }))).toEqual(['missing-type']);
    expect(rules(closed({ a: { type: 'date' } }))).toEqual(['unknown-type']);
    expect(rules(closed({ a: { ...closed({}), type: ['object', 'null'] } }))).toEqual([
      'composite-type-union',
    ]);
  });

  it('walks $defs and checks $ref targets', () => {
    const schema = {
      ...closed({ a: { $ref: '#/$defs/A' }, b: { $ref: '#/$defs/Missing' } }),
      $defs: { A: { type: 'object', properties: {} } },
    };

    const found = lintStrictSchema(schema);

    expect(found).toContainEqual(
      expect.objectContaining({ path: '#/$defs/A', rule: 'object-not-closed' }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ path: '#/properties/b', rule: 'unresolved-ref' }),
    );
  });

  it('flags nesting deeper than ten objects', () => {
    let schema = closed({ leaf: { type: 'string' } });
    for (let level = 0; level < 10; level += 1) schema = closed({ next: schema });

    expect(rules(schema)).toEqual(['too-deep']);
  });
});
