import { CallerKind } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/** A certificate presented after it expired gets past the gateway: validity is not checked. */
export const expiredCertificateAdmitted: Rule = ({ matrix }) =>
  cellFindings(matrix, 'expired-certificate-admitted', (cell) => cell.caller.kind === CallerKind.EXPIRED && admitted(cell.verdict));
