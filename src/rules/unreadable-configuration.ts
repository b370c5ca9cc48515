import { Rule } from './rule';

/** Configuration the plan reader could not attach or follow (a module, a policy for an expression). */
export const unreadableConfiguration: Rule = ({ matrix }) =>
  matrix.plan.unreadable.map((issue) => ({
    code: 'unreadable-configuration' as const,
    subject: { service: '', ...(issue.address !== undefined ? { resource: issue.address } : {}), item: issue.reason },
    reason: issue.reason,
  }));
