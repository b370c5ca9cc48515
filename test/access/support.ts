import { AccessCell, AccessMatrix, OperationAccess } from '../../src/access';

/** One line per verdict, as tests state them: `forwarded to host`, `rejected 401 by <address>`, `undecided: …`. */
export function verdictText(cell: AccessCell): string {
  const verdict = cell.verdict;
  switch (verdict.kind) {
    case 'forwarded':
      return `forwarded to ${verdict.host ?? (verdict.url.known ? verdict.url.value : 'an undecided URL')}`;
    case 'rejected':
      return `rejected ${verdict.status}${verdict.by ? ` by ${verdict.by.scope}` : ''}`;
    case 'answered':
      return `answered ${verdict.status}${verdict.by ? ` by ${verdict.by.scope}` : ''}`;
    case 'undecided':
      return `undecided: ${verdict.reason}`;
  }
}

/** The row of one operation over one route (`none` or `product:<id>`). */
export function row(matrix: AccessMatrix, apiPath: string, operation: string, route = 'none'): OperationAccess {
  const found = matrix.services.flatMap((s) => s.operations).find((o) => o.ref.apiPath === apiPath && o.ref.operation === operation && o.ref.route === route);
  if (!found) throw new Error(`no row for ${apiPath} ${operation} ${route}`);
  return found;
}

export function cell(matrix: AccessMatrix, apiPath: string, operation: string, caller: string, route = 'none'): AccessCell {
  const found = row(matrix, apiPath, operation, route).cells.find((c) => c.caller.key === caller);
  if (!found) throw new Error(`no cell for ${caller}`);
  return found;
}

export function verdictOf(matrix: AccessMatrix, apiPath: string, operation: string, caller: string, route = 'none'): string {
  return verdictText(cell(matrix, apiPath, operation, caller, route));
}
