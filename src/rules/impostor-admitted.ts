import { CallerKind } from '../access';
import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/**
 * A certificate that copies a known certificate's subject and issuer names, but is issued by
 * a CA the service does not hold, gets past the gateway: the gate checks names, not the chain.
 */
export const impostorAdmitted: Rule = ({ matrix }) =>
  cellFindings(matrix, 'impostor-admitted', (cell) => cell.caller.kind === CallerKind.IMPOSTOR && admitted(cell.verdict));
