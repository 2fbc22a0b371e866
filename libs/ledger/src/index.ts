export * from './errors';
export * from './ledger';
export * from './consumer';
export * from './database';
export { migrate, MIGRATIONS } from './schema';
export { uuidv7, isUuid } from './uuid';
export * from './bundle';
