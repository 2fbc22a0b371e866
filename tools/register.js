// Runs TypeScript sources directly: each .ts file is compiled by swc as it is first required, with
// the options Jest uses (swc-options.js), and the workspace's path aliases resolve to their sources.
// Not @swc-node/register: it loads the TypeScript compiler to read tsconfig, and a process started
// under it held 115 MB before running anything, against 61 MB (the CLI's offline verify has a memory budget).
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const { aliases, swcOptions } = require('../swc-options');

const options = { ...swcOptions('typescript'), sourceMaps: 'inline' };
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, Object.hasOwn(aliases, request) ? aliases[request] : request, ...rest);
};
Module._extensions['.ts'] = (module, filename) => {
  module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
};
// Stack traces name the .ts lines (the inline source maps).
process.setSourceMapsEnabled(true);
