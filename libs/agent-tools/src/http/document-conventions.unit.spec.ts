import { buildToolCatalog } from '../converter/tool-catalog';
import { documentWith, operation } from '../testing/minimal-document';
import { withConverterConventions } from './document-conventions';

describe('withConverterConventions', () => {
  const reason = 'minting or managing tokens';

  it('reads a full-token-only reason as the flag, and no scope as needing none', () => {
    const document = documentWith({
      '/api/v1/me/tokens': {
        post: operation('mintToken', {
          security: [{ token: [] }],
          'x-full-token-only': reason,
        }),
      },
    });

    const [tool] = buildToolCatalog(withConverterConventions(document));

    expect(tool).toMatchObject({ name: 'mint_token', fullTokenOnly: true, scope: null });
    expect(tool.description).toContain('Only a full token may call it');
  });

  it('keeps a declared scope on a full-token-only route', () => {
    const document = documentWith({
      '/api/v1/rules/{id}/disable': {
        post: operation('disableRule', {
          security: [{ token: ['siem:write'] }],
          'x-required-scope': 'siem:write',
          'x-full-token-only': 'disabling or rewriting a detection',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        }),
      },
    });

    const [tool] = buildToolCatalog(withConverterConventions(document));

    expect(tool).toMatchObject({ fullTokenOnly: true, scope: 'siem:write' });
  });

  it('leaves other operations and the given document as they are', () => {
    const document = documentWith({
      '/api/v1/audit': {
        get: operation('listAuditEvents', { 'x-required-scope': 'things:write' }),
      },
      '/api/v1/me/tokens': { get: operation('listTokens', { 'x-full-token-only': reason }) },
    });
    const before = JSON.stringify(document);

    const adapted = withConverterConventions(document);

    expect(JSON.stringify(document)).toBe(before);
    expect((adapted.paths as Record<string, unknown>)['/api/v1/audit']).toEqual(
      (document.paths as Record<string, unknown>)['/api/v1/audit'],
    );
  });
});
