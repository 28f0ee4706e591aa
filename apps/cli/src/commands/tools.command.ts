import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';

import {
  conversionOptionsFor,
  convertOpenApiToTools,
  OpenApiDocument,
  parseScopeList,
  TOOL_FILES,
  TOOL_FORMATS,
  toolFileText,
  withConverterConventions,
} from '@observe/agent-tools';
import { loadEnvironment } from '@observe/config';
import { buildOpenApiDocument } from '@observe/http';
import { ALL_ROLES, RuntimeModule } from '@observe/runtime';

export function toolsCommand(): Command {
  const tools = new Command('tools').description(
    'Tool definitions for agent frameworks, converted from the OpenAPI document',
  );

  tools
    .command('write <dir>')
    .description(
      `Write ${Object.values(TOOL_FILES).join(', ')} into <dir>, ` +
        'the same files the API serves under /openapi/',
    )
    .option('--scopes <list>', 'only what a scoped token holding these scopes may call')
    .action(async (dir: string, options: { scopes?: string }) => {
      const scopes = parseScopeList(options.scopes);
      const document = await buildDocumentFromControllers();
      const converted = convertOpenApiToTools(
        withConverterConventions(document),
        conversionOptionsFor(undefined, scopes),
      );

      await mkdir(dir, { recursive: true });
      for (const format of TOOL_FORMATS) {
        await writeFile(join(dir, TOOL_FILES[format]), toolFileText(converted, format));
      }
      process.stderr.write(`wrote ${converted.catalog.length} tools in 3 formats to ${dir}\n`);
    });

  return tools;
}

/**
 * The document the API would serve, from the controllers alone: Nest's
 * preview mode reads every module and route without creating a provider,
 * so no database is started and nothing listens.
 */
async function buildDocumentFromControllers(): Promise<OpenApiDocument> {
  const environment = loadEnvironment({ ...process.env, BOOTSTRAP_TOKEN: 'off' });
  const module = RuntimeModule.forRoot({ environment, roles: new Set(ALL_ROLES) });
  const app = await NestFactory.create(module, { preview: true, logger: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
