import { AccessMatrix } from '../access';
import { Finding } from '../rules';

/** A construct annotation of the synth (manifest.json). */
export interface SynthNote {
  readonly level: 'error' | 'warning' | 'info';
  readonly constructPath: string;
  readonly message: string;
}

/** What the report shows of one stack. */
export interface StackReport {
  readonly name: string;
  readonly matrix: AccessMatrix;
  readonly findings: readonly Finding[];
  /** Sorted by level, construct path and message. */
  readonly annotations: readonly SynthNote[];
}
