import { Finding, FindingSubject } from './finding';
import { subjectOf } from './cell-groups';
import { Rule } from './rule';

/** What APIM does with some caller cannot be decided from the plan: one finding per API, route and reason. */
export const undecidedAccess: Rule = ({ matrix }) => {
  const groups = new Map<string, { subject: FindingSubject; reason: string; operations: Set<string> }>();
  for (const service of matrix.services) {
    for (const operation of service.operations) {
      for (const cell of operation.cells) {
        if (cell.verdict.kind !== 'undecided') continue;
        const key = `${service.service}|${operation.ref.apiMatch}|${operation.ref.route}|${cell.verdict.reason}`;
        let group = groups.get(key);
        if (!group) {
          group = { subject: subjectOf(service, operation), reason: cell.verdict.reason, operations: new Set() };
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
