import { AccessChange } from '../../../src';

/** One line per change: impact, kind and what it is about, for matching. */
export function changeLines(changes: readonly AccessChange[]): string[] {
  return changes.flatMap((change) => {
    switch (change.kind) {
      case 'verdict':
        return change.callers.map(
          (caller) => `${change.impact} verdict ${caller.key} ${change.before.kind}→${change.after.kind} ${change.operations.join(',')} ${change.routes.join(',')} ${change.subject.apiPath ?? ''}`,
        );
      case 'operation-added':
      case 'operation-removed':
        return `${change.impact} ${change.kind} ${change.subject.apiPath ?? change.subject.api ?? ''} ${change.operations.join(',')}`;
      case 'certificate':
      case 'service':
        return `${change.impact} ${change.kind} ${change.change} ${change.subject.resource ?? change.subject.serviceName ?? ''}`;
      case 'backend-tls':
        return `${change.impact} backend-tls ${change.check}`;
      case 'finding':
        return `${change.impact} finding ${change.finding.code} ${change.subject.resource ?? change.subject.apiPath ?? ''}`;
      default:
        return `${change.impact} ${change.kind}`;
    }
  });
}
