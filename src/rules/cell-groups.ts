import { AccessCell, AccessMatrix, OperationAccess, ServiceAccess, Verdict } from '../access';
import { PlanService } from '../plan';
import { CellFinding, FindingSubject } from './finding';

/** Whether the caller gets past the gateway: forwarded to a backend, or answered with success. */
export function admitted(verdict: Verdict): boolean {
  return verdict.kind === 'forwarded' || verdict.kind === 'answered';
}

export function subjectOf(service: ServiceAccess, operation?: OperationAccess, resource?: string): FindingSubject {
  const ref = operation?.ref;
  return {
    service: service.service,
    ...(service.name.known ? { serviceName: service.name.value } : {}),
    ...(ref ? { api: ref.apiMatch, apiName: ref.apiName, route: ref.route, ...(ref.apiPath !== undefined ? { apiPath: ref.apiPath } : {}) } : {}),
    ...(resource !== undefined ? { resource } : {}),
  };
}

/** The subject of a finding about an API as a whole, whatever the route. */
export function apiSubjectOf(service: ServiceAccess, operation: OperationAccess, resource?: string): FindingSubject {
  const { route: _route, ...subject } = subjectOf(service, operation, resource);
  return subject;
}

/** The first row of each API of the service. */
export function firstRowPerApi(service: ServiceAccess): OperationAccess[] {
  const seen = new Set<string>();
  return service.operations.filter((operation) => !seen.has(operation.ref.api) && seen.add(operation.ref.api) !== undefined);
}

/** The plan's facts for a service of the matrix. */
export function planService(matrix: AccessMatrix, service: ServiceAccess): PlanService {
  return matrix.plan.services.find((candidate) => candidate.key === service.service)!;
}

/**
 * One finding per API and route for the cells that match `condition`, listing the operations
 * and callers: a gate on an API usually judges all of its operations alike.
 */
export function cellFindings<C extends string>(
  matrix: AccessMatrix,
  code: C,
  condition: (cell: AccessCell, operation: OperationAccess) => boolean,
): CellFinding<C>[] {
  const groups = new Map<string, { subject: FindingSubject; operations: Set<string>; callers: Set<string>; hosts: Set<string>; details: Set<string> }>();
  for (const service of matrix.services) {
    for (const operation of service.operations) {
      for (const cell of operation.cells) {
        if (!condition(cell, operation)) continue;
        const key = `${service.service}|${operation.ref.apiMatch}|${operation.ref.route}`;
        let group = groups.get(key);
        if (!group) {
          group = { subject: subjectOf(service, operation), operations: new Set(), callers: new Set(), hosts: new Set(), details: new Set() };
          groups.set(key, group);
        }
        group.operations.add(operation.ref.operation);
        group.callers.add(cell.caller.key);
        if (cell.verdict.kind === 'forwarded' && cell.verdict.host !== undefined) group.hosts.add(cell.verdict.host);
        if (cell.verdict.kind === 'rejected' && cell.verdict.detail !== undefined) group.details.add(cell.verdict.detail);
      }
    }
  }
  return [...groups.values()].map((group) => ({
    code,
    subject: group.subject,
    operations: [...group.operations].sort(),
    callers: [...group.callers].sort(),
    ...(group.hosts.size > 0 ? { hosts: [...group.hosts].sort() } : {}),
    ...(group.details.size > 0 ? { details: [...group.details].sort() } : {}),
  }));
}
