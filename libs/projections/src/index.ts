export * from './views';
export * from './temporal-store';
export * from './projector';
export * from './queries';
