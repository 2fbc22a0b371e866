// The one TypeScript setup of everything that runs sources without a build: Jest (jest.preset.js) and
// the register that `npm start`, the CLI and the benchmarks run under (tools/register.js). swc compiles each
// file alone, without type-checking; legacy decorators with their metadata, as NestJS reads them.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;

/** The workspace's path aliases (tsconfig.base.json), each to its entry file. */
const aliases = Object.fromEntries(Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(root, target)]));

const swcOptions = (syntax) => ({
  jsc: {
    parser: { syntax, decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
});

module.exports = { aliases, swcOptions };
