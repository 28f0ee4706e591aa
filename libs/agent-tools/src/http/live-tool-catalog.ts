import { Injectable, Logger } from '@nestjs/common';

import { convertOpenApiToTools } from '../converter/convert-openapi-to-tools';
import { ConvertedTools, ToolConversionOptions } from '../converter/tool-definition';
import { ToolConversionError } from '../converter/tool-conversion.error';
import { withConverterConventions } from './document-conventions';
import { OpenApiDocumentHolder } from './openapi-document.holder';
import { narrowTools } from './tool-files';

type Conversion = { tools: ConvertedTools } | { error: unknown };

/**
 * Every API operation as tools, converted once from the live OpenAPI
 * document, so new controllers become tools with no change here.
 */
@Injectable()
export class LiveToolCatalog {
  private readonly logger = new Logger(LiveToolCatalog.name);
  private cached?: { version: number; conversion: Conversion };

  constructor(private readonly document: OpenApiDocumentHolder) {}

  all(): ConvertedTools {
    const version = this.document.version;
    if (this.cached?.version !== version) {
      this.cached = { version, conversion: this.convert() };
    }

    const { conversion } = this.cached;
    if ('error' in conversion) throw conversion.error;
    return conversion.tools;
  }

  /** What a token with these options may call, in name order. */
  offered(options: ToolConversionOptions): ConvertedTools {
    return narrowTools(this.all(), options);
  }

  private convert(): Conversion {
    const document = this.document.get();
    try {
      return { tools: convertOpenApiToTools(withConverterConventions(document)) };
    } catch (error) {
      if (!(error instanceof ToolConversionError)) throw error;

      // Remembered, so one bad route is logged once, not on every tool request.
      this.logger.error({
        msg:
          'the OpenAPI document cannot become tools; the tool files and /mcp answer 500 ' +
          'until the operation at `location` is fixed',
        location: error.location,
        err: error,
      });
      return { error };
    }
  }
}
