import { CallerKind } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/** A certificate the plan does not know gets past the gateway. */
export const unknownCertificateAdmitted: Rule = ({ matrix }) =>
  cellFindings(matrix, 'unknown-certificate-admitted', (cell) => cell.caller.kind === CallerKind.UNKNOWN_CERTIFICATE && admitted(cell.verdict));
