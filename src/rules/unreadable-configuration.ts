import { Rule } from './rule';

/** Configuration the plan reader could not attach or follow (a module, a policy for an expression). */
export const unreadableConfiguration: Rule = ({ matrix }) =>
  matrix.plan.unreadable.map((issue) => ({
    code: 'unreadable-configuration' as const,
    // The fingerprint makes a module or side channel whose content changed a new finding.
    subject: { service: '', ...(issue.address !== undefined ? { resource: issue.address } : {}), item: issue.fingerprint !== undefined ? `${issue.reason}|${issue.fingerprint}` : issue.reason },
    reason: issue.reason,
    ...(issue.kind !== undefined ? { kind: issue.kind } : {}),
  }));
