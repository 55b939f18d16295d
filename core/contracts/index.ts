export * from './common';
export * from './enums';
export * from './auth';
export * from './org';
export * from './kb';
export * from './cases';
export * from './calls';
export * from './handoffs';
