import { CallerKind } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/** A caller without a certificate gets past the gateway. */
export const noCertificateAdmitted: Rule = ({ matrix }) =>
  cellFindings(matrix, 'no-certificate-admitted', (cell) => cell.caller.kind === CallerKind.NO_CERTIFICATE && admitted(cell.verdict));
