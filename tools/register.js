// Runs TypeScript sources directly (swc, no type-check), resolving the workspace's path aliases.
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
