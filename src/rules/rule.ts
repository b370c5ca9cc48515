import { AccessMatrix } from '../access';
import { Finding } from './finding';

/** What a rule reads: the matrix (which carries its plan) and the moment of the review. */
export interface RuleContext {
  readonly matrix: AccessMatrix;
  readonly now: Date;
}

/** One judgement: a pure function of the context, returning findings as data. */
export type Rule = (context: RuleContext) => readonly Finding[];
