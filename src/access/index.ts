// The who-may-call matrix: scopes composed per operation, a fixed set of callers simulated.
export { accessMatrix } from './build-access-matrix';
export type { AccessMatrixOptions } from './build-access-matrix';
export * from './access-matrix';
export * from './caller';
export * from './verdict';
