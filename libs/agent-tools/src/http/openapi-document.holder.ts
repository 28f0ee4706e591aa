import { Injectable } from '@nestjs/common';

import { DomainError } from '@observe/core';

import { OpenApiDocument } from '../converter/openapi-document';

/**
 * The OpenAPI document this process serves at /openapi.json. It can only be
 * built once the application exists, so bootstrap hands it over here and the
 * tool routes and the MCP server read it from here.
 */
@Injectable()
export class OpenApiDocumentHolder {
  private document?: OpenApiDocument;
  private revision = 0;

  set(document: OpenApiDocument): void {
    this.document = document;
    this.revision += 1;
  }

  /** Bumped on every `set`, so caches built from an older document are dropped. */
  get version(): number {
    return this.revision;
  }

  get(): OpenApiDocument {
    if (this.document === undefined) {
      throw new DomainError(
        'unavailable',
        'The OpenAPI document is not built yet; the API is still starting.',
      );
    }
    return this.document;
  }
}
