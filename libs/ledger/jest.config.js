module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'ledger',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // One file at a time: the gap-free feed waits behind any transaction that writes anywhere on the server
  // (its xmin is the cluster's), so the tamper and backup suites' writes would stall the contract suite's
  // feed reads if they ran beside it.
  maxWorkers: 1,
};
