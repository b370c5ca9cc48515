import type { PlanIssueKind } from '../plan';

/*
 * Findings are facts, never sentences (the report's wording module writes those). A finding
 * is identified across plans by its code and subject, so rewording never looks like a change.
 */

/** What a finding is about: a service, an API reached over a route, or one resource. */
export interface FindingSubject {
  /** The plan's service key. */
  readonly service: string;
  readonly serviceName?: string;
  /** `OperationRef.apiMatch` of the API. */
  readonly api?: string;
  readonly apiPath?: string;
  readonly apiName?: string;
  /** `none` or `product:<id>`. */
  readonly route?: string;
  /** Terraform address of the resource concerned (certificate, backend, policy, …). */
  readonly resource?: string;
  /** A further distinction within the subject (a thumbprint, a check name). */
  readonly item?: string;
}

/** Callers of some operations of an API over one route that meet a rule's condition. */
export interface CellFinding<C extends string> {
  readonly code: C;
  readonly subject: FindingSubject;
  /** Operation keys (`METHOD url-template`, `*`), sorted. */
  readonly operations: readonly string[];
  /** Caller keys, sorted. */
  readonly callers: readonly string[];
  /** Hosts the admitted requests are forwarded to, sorted. */
  readonly hosts?: readonly string[];
  /** Why the responsible element rejected, for rejections caused by an error. */
  readonly details?: readonly string[];
}

export type Finding =
  | CellFinding<'unknown-certificate-admitted'>
  | CellFinding<'no-certificate-admitted'>
  | CellFinding<'expired-certificate-admitted'>
  | CellFinding<'impostor-admitted'>
  | CellFinding<'backend-certificate-admitted'>
  | CellFinding<'named-certificate-rejected'>
  | CellFinding<'nobody-admitted'>
  | { readonly code: 'undecided-access'; readonly subject: FindingSubject; readonly operations: readonly string[]; readonly reason: string }
  | { readonly code: 'service-does-not-ask'; readonly subject: FindingSubject; readonly required?: string }
  | { readonly code: 'unmanaged-service'; readonly subject: FindingSubject; readonly reason: string }
  | { readonly code: 'client-certificate-flag-refused'; readonly subject: FindingSubject; readonly sku: string }
  | { readonly code: 'backend-tls-check-off'; readonly subject: FindingSubject; readonly check: 'chain' | 'name'; readonly written: boolean }
  | { readonly code: 'subscription-not-required'; readonly subject: FindingSubject }
  | { readonly code: 'plain-http-accepted'; readonly subject: FindingSubject }
  | { readonly code: 'unreadable-configuration'; readonly subject: FindingSubject; readonly reason: string; readonly kind?: PlanIssueKind }
  | { readonly code: 'pinned-thumbprint-unmatched'; readonly subject: FindingSubject; readonly thumbprint: string }
  | { readonly code: 'certificate-expiring'; readonly subject: FindingSubject; readonly notAfter: string; readonly daysLeft: number }
  | { readonly code: 'conflicting-claims'; readonly subject: FindingSubject }
  | { readonly code: 'literal-secret'; readonly subject: FindingSubject; readonly attribute: 'password' | 'data' }
  | { readonly code: 'versioned-key-vault-secret'; readonly subject: FindingSubject; readonly secretId: string }
  | { readonly code: 'key-vault-certificate-pinned'; readonly subject: FindingSubject; readonly operations: readonly string[] };

export type FindingCode = Finding['code'];

/** Identifies a finding across plans: its code and subject. */
export function findingKey(finding: Finding): string {
  const s = finding.subject;
  return [finding.code, s.service, s.api ?? '', s.route ?? '', s.resource ?? '', s.item ?? ''].join('|');
}
