// Judgements over the who-may-call matrix: one rule per file, findings as data, no wording.
import { AccessMatrix } from '../access';
import { backendCertificateAdmitted } from './backend-certificate-admitted';
import { backendTlsCheckOff } from './backend-tls-check-off';
import { certificateExpiring } from './certificate-expiring';
import { clientCertificateFlagRefused } from './client-certificate-flag-refused';
import { conflictingClaims } from './conflicting-claims';
import { expiredCertificateAdmitted } from './expired-certificate-admitted';
import { Finding, findingKey } from './finding';
import { impostorAdmitted } from './impostor-admitted';
import { keyVaultCertificatePinned } from './key-vault-certificate-pinned';
import { literalSecret } from './literal-secret';
import { namedCertificateRejected } from './named-certificate-rejected';
import { noCertificateAdmitted } from './no-certificate-admitted';
import { nobodyAdmitted } from './nobody-admitted';
import { pinnedThumbprintUnmatched } from './pinned-thumbprint-unmatched';
import { plainHttpAccepted } from './plain-http-accepted';
import { Rule } from './rule';
import { serviceDoesNotAsk } from './service-does-not-ask';
import { subscriptionNotRequired } from './subscription-not-required';
import { undecidedAccess } from './undecided-access';
import { unknownCertificateAdmitted } from './unknown-certificate-admitted';
import { unmanagedService } from './unmanaged-service';
import { unreadableConfiguration } from './unreadable-configuration';
import { versionedKeyVaultSecret } from './versioned-key-vault-secret';

export type { CellFinding, Finding, FindingCode, FindingSubject } from './finding';
export { findingKey } from './finding';
export type { Rule, RuleContext } from './rule';
export { EXPIRY_WARNING_DAYS } from './certificate-expiring';
export {
  backendCertificateAdmitted,
  backendTlsCheckOff,
  certificateExpiring,
  clientCertificateFlagRefused,
  conflictingClaims,
  expiredCertificateAdmitted,
  impostorAdmitted,
  keyVaultCertificatePinned,
  literalSecret,
  namedCertificateRejected,
  noCertificateAdmitted,
  nobodyAdmitted,
  pinnedThumbprintUnmatched,
  plainHttpAccepted,
  serviceDoesNotAsk,
  subscriptionNotRequired,
  undecidedAccess,
  unknownCertificateAdmitted,
  unmanagedService,
  unreadableConfiguration,
  versionedKeyVaultSecret,
};

/** Every rule; the review and the synth-time proof choose the severity of each code. */
export const ALL_RULES: readonly Rule[] = [
  unknownCertificateAdmitted,
  noCertificateAdmitted,
  expiredCertificateAdmitted,
  impostorAdmitted,
  backendCertificateAdmitted,
  namedCertificateRejected,
  nobodyAdmitted,
  undecidedAccess,
  unreadableConfiguration,
  serviceDoesNotAsk,
  unmanagedService,
  clientCertificateFlagRefused,
  backendTlsCheckOff,
  subscriptionNotRequired,
  plainHttpAccepted,
  keyVaultCertificatePinned,
  versionedKeyVaultSecret,
  literalSecret,
  conflictingClaims,
  certificateExpiring,
  pinnedThumbprintUnmatched,
];

export interface JudgeOptions {
  /** @default ALL_RULES */
  readonly rules?: readonly Rule[];
  /** @default - the current time */
  readonly now?: Date;
}

/**
 * Runs the rules over the matrix. A rule that throws is a bug, reported as an undecided
 * finding rather than a crash, so one broken rule never hides the others' findings.
 */
export function judge(matrix: AccessMatrix, options: JudgeOptions = {}): Finding[] {
  const context = { matrix, now: options.now ?? new Date() };
  const findings: Finding[] = [];
  for (const rule of options.rules ?? ALL_RULES) {
    try {
      findings.push(...rule(context));
    } catch (error) {
      findings.push({ code: 'unreadable-configuration', subject: { service: '', item: rule.name }, reason: `rule ${rule.name} failed: ${(error as Error)?.message ?? String(error)}` });
    }
  }
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = findingKey(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
