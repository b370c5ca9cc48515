import { CallerKind } from '../access';
import { cellFindings } from './cell-groups';
import { Rule } from './rule';

const NAMEABLE = new Set([CallerKind.CERTIFICATE, CallerKind.PINNED_THUMBPRINT, CallerKind.GUARDED_THUMBPRINT]);

/**
 * A certificate the policy names (by thumbprint or certificate id), presented while valid, is
 * rejected: usually a gate that locks out the caller it was written for (a distinguished name
 * in openssl order, a chain check without the issuing CA, revocation against a private CA).
 * Certificates the same operation presents to its backend are not callers and are left out.
 */
export const namedCertificateRejected: Rule = ({ matrix }) =>
  cellFindings(matrix, 'named-certificate-rejected', (cell, operation) => {
    if (cell.mentioned === undefined || cell.verdict.kind !== 'rejected' || !NAMEABLE.has(cell.caller.kind)) return false;
    const presented = operation.cells.some((other) => other.verdict.kind === 'forwarded' && other.verdict.presents.includes(cell.caller.certificate ?? ''));
    return !presented;
  });
