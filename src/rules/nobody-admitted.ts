import { admitted, cellFindings } from './cell-groups';
import { Rule } from './rule';

/** No simulated caller gets past the gateway, on a service that asks for certificates. */
export const nobodyAdmitted: Rule = ({ matrix }) => {
  const asking = new Set(matrix.services.filter((service) => service.asksForCertificates.known && service.asksForCertificates.value).map((service) => service.service));
  return cellFindings(
    matrix,
    'nobody-admitted',
    (cell, operation) => asking.has(operation.ref.service) && cell.caller.key === 'unknown' && !operation.cells.some((other) => admitted(other.verdict) || other.verdict.kind === 'undecided'),
  ).map(({ callers: _callers, ...finding }) => ({ ...finding, callers: [] }));
};
