import { CallerKind } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

const ANYONES = new Set([CallerKind.UNKNOWN_CERTIFICATE, CallerKind.CHOSEN]);

/** A certificate the plan does not know, or one anyone can make to pass the policy's test, gets past the gateway. */
export const unknownCertificateAdmitted: Rule = ({ matrix }) =>
  cellFindings(matrix, 'unknown-certificate-admitted', (cell) => ANYONES.has(cell.caller.kind) && admitted(cell.verdict));
