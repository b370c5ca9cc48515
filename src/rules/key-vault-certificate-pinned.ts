import { Finding, FindingSubject } from './finding';
import { apiSubjectOf, planService } from './cell-groups';
import { Rule } from './rule';

/**
 * A policy pins a Key Vault certificate by thumbprint: Key Vault rotates it outside Terraform,
 * so the pin goes stale and locks its holder out. Match it by certificate id instead.
 */
export const keyVaultCertificatePinned: Rule = ({ matrix }) => {
  const groups = new Map<string, { subject: FindingSubject; operations: Set<string> }>();
  for (const service of matrix.services) {
    const keyVault = new Set(planService(matrix, service).certificates.filter((c) => c.source.kind === 'key-vault').map((c) => c.address));
    for (const operation of service.operations) {
      for (const cell of operation.cells) {
        if (cell.mentioned !== 'thumbprint' || cell.caller.certificate === undefined || !keyVault.has(cell.caller.certificate)) continue;
        const key = `${service.service}|${operation.ref.apiMatch}|${cell.caller.certificate}`;
        let group = groups.get(key);
        if (!group) {
          group = { subject: apiSubjectOf(service, operation, cell.caller.certificate), operations: new Set() };
          groups.set(key, group);
        }
        group.operations.add(operation.ref.operation);
      }
    }
  }
  return [...groups.values()].map((group): Finding => ({ code: 'key-vault-certificate-pinned', subject: group.subject, operations: [...group.operations].sort() }));
};
