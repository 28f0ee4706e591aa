import { Logger } from '@nestjs/common';

import { ToolConversionError } from '../converter/tool-conversion.error';
import { documentWith, operation } from '../testing/minimal-document';
import { openApiFixture } from '../testing/openapi-fixture';
import { LiveToolCatalog } from './live-tool-catalog';
import { OpenApiDocumentHolder } from './openapi-document.holder';

describe('LiveToolCatalog', () => {
  it('converts once per document and again when the document changes', () => {
    const holder = new OpenApiDocumentHolder();
    const catalog = new LiveToolCatalog(holder);
    holder.set(openApiFixture);

    const first = catalog.all();
    const again = catalog.all();
    holder.set(documentWith({ '/api/v1/things': { post: operation('makeThing') } }));
    const changed = catalog.all();

    expect(again).toBe(first);
    expect(changed.catalog.map((tool) => tool.name)).toEqual(['make_thing']);
  });

  it('fails every request on a route it cannot convert, logging it once', () => {
    const holder = new OpenApiDocumentHolder();
    const catalog = new LiveToolCatalog(holder);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    holder.set(documentWith({ '/api/v1/things': { post: { summary: 'no operationId' } } }));

    expect(() => catalog.all()).toThrow(ToolConversionError);
    expect(() => catalog.all()).toThrow('operationId is missing');
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });

  it('says the API is still starting before bootstrap hands the document over', () => {
    const catalog = new LiveToolCatalog(new OpenApiDocumentHolder());

    expect(() => catalog.all()).toThrow('not built yet');
  });
});
