import { FindingCode } from '../rules';

/** How the review presents a finding: something to fix, or something to know. */
export enum Severity {
  WARNING = 'warning',
  NOTE = 'note',
}

/** The review's choice of severity per finding code (the synth-time proof may choose differently). */
export const REVIEW_SEVERITY: Readonly<Record<FindingCode, Severity>> = {
  'unknown-certificate-admitted': Severity.WARNING,
  'no-certificate-admitted': Severity.WARNING,
  'expired-certificate-admitted': Severity.WARNING,
  'impostor-admitted': Severity.WARNING,
  'backend-certificate-admitted': Severity.WARNING,
  'named-certificate-rejected': Severity.WARNING,
  'nobody-admitted': Severity.WARNING,
  'undecided-access': Severity.WARNING,
  'unreadable-configuration': Severity.WARNING,
  'service-does-not-ask': Severity.WARNING,
  'client-certificate-flag-refused': Severity.WARNING,
  'backend-tls-check-off': Severity.WARNING,
  'plain-http-accepted': Severity.WARNING,
  'literal-secret': Severity.WARNING,
  'conflicting-claims': Severity.WARNING,
  'key-vault-certificate-pinned': Severity.WARNING,
  'certificate-expiring': Severity.WARNING,
  'subscription-not-required': Severity.NOTE,
  'pinned-thumbprint-unmatched': Severity.NOTE,
  'unmanaged-service': Severity.NOTE,
  'versioned-key-vault-secret': Severity.NOTE,
};
