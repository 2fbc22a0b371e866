export * from './vietnamese';
export * from './periods';
export * from './sources';
export * from './model';
export * from './docx';
export * from './cchc/gather';
export * from './cchc/build';
export * from './sheets';
