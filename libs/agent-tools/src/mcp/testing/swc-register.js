/*
 * Lets a child process run the TypeScript sources as they are, the way jest
 * does: `node -r <this file> apps/cli/src/main.ts …`. Tests use it to spawn
 * the real CLI without a build. Options mirror jest.config.js.
 */
'use strict';

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../../../..');
const options = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// The `@observe/<lib>` aliases of tsconfig.json, resolved to each lib's entry point.
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveAlias(request, ...rest) {
  const alias = /^@observe\/([a-z0-9-]+)$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', 'index.ts') : request;
  return resolve.call(this, target, ...rest);
};

Module._extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...options, filename });
  module._compile(code, filename);
};
