import { CallerKind } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/**
 * A caller without a certificate gets past the gateway, also one that only sends a forged
 * client-certificate header.
 */
export const noCertificateAdmitted: Rule = ({ matrix }) =>
  cellFindings(
    matrix,
    'no-certificate-admitted',
    (cell) => (cell.caller.kind === CallerKind.NO_CERTIFICATE || cell.caller.kind === CallerKind.FORGED_HEADER) && admitted(cell.verdict),
  );
