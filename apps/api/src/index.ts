/**
 * What tools (tools/: the CLI, the benchmarks) use of the app, and nothing else: the one entry point
 * the module-boundary rule lets them import (`@reform-ledger/api`, eslint.config.mjs).
 */
export { createApp } from './app';
export { ledgerOver } from './database.module';
export type { Keyed, WriteContext } from './events/command-path';
export { RecordBatch, RecordBatchHandler, RecordEvent, RecordEventHandler } from './events/commands';
export type { Mark } from './marks';
export { parseReportArgs, reportCommand } from './reports/report-command';
export { loadScenario } from './scenario/load';
export { seedSkeleton } from './testing';
