import { CallerKind, CallerRole } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/**
 * A certificate APIM presents to backends is also admitted as a caller (typically by "any
 * uploaded certificate"): whoever holds the backend's client certificate may call the API.
 */
export const backendCertificateAdmitted: Rule = ({ matrix }) =>
  cellFindings(
    matrix,
    'backend-certificate-admitted',
    (cell) => cell.caller.kind === CallerKind.CERTIFICATE && cell.caller.roles.includes(CallerRole.BACKEND_CLIENT) && admitted(cell.verdict),
  );
