import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { ToolConversionOptions } from '../converter/tool-definition';
import { openApiFixture } from '../testing/openapi-fixture';
import { narrowTools, TOOL_FORMATS, toolFileText } from './tool-files';

describe('narrowTools', () => {
  const all = convertOpenApiToTools(openApiFixture);

  it.each<[string, ToolConversionOptions]>([
    ['nobody in particular', {}],
    ['a full token', { fullToken: true }],
    ['a scoped token', { scopes: ['incidents:read', 'audit:read'], fullToken: false }],
    ['a token with no matching scope', { scopes: ['alerts:write'], fullToken: false }],
  ])('equals converting again for %s', (_who, options) => {
    expect(narrowTools(all, options)).toEqual(convertOpenApiToTools(openApiFixture, options));
  });
});

describe('toolFileText', () => {
  it('is the same bytes every time, ending in a newline', () => {
    const first = convertOpenApiToTools(openApiFixture);
    const second = convertOpenApiToTools(structuredClone(openApiFixture));

    for (const format of TOOL_FORMATS) {
      const text = toolFileText(first, format);
      expect(text).toBe(toolFileText(second, format));
      expect(text.endsWith(']\n')).toBe(true);
    }
  });
});
