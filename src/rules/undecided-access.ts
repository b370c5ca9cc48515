import { Finding, FindingSubject } from './finding';
import { subjectOf } from './cell-groups';
import { Rule } from './rule';

/**
 * What APIM does with some caller, or whether an operation exists at all (`count`/`for_each`),
 * cannot be decided from the plan: one finding per API, route and reason.
 */
export const undecidedAccess: Rule = ({ matrix }) => {
  const groups = new Map<string, { subject: FindingSubject; reason: string; operations: Set<string> }>();
  for (const service of matrix.services) {
    for (const operation of service.operations) {
      const reasons = new Set(operation.cells.flatMap((cell) => (cell.verdict.kind === 'undecided' ? [cell.verdict.reason] : [])));
      if (operation.presence !== undefined) reasons.add(`whether it exists is decided at apply (${operation.presence})`);
      for (const reason of reasons) {
        const key = `${service.service}|${operation.ref.apiMatch}|${operation.ref.route}|${reason}`;
        let group = groups.get(key);
        if (!group) {
          group = { subject: subjectOf(service, operation), reason, operations: new Set() };
          groups.set(key, group);
        }
        group.operations.add(operation.ref.operation);
      }
    }
  }
  return [...groups.values()].map(
    (group): Finding => ({ code: 'undecided-access', subject: { ...group.subject, item: group.reason }, operations: [...group.operations].sort(), reason: group.reason }),
  );
};
