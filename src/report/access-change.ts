import { Caller, ScopeKind, Verdict } from '../access';
import { Finding } from '../rules';

/** What a change does to who may call what. */
export enum ChangeImpact {
  /** More callers get in, a check is gone, traffic goes elsewhere, or the plan no longer tells. */
  WEAKENED = 'weakened',
  /** Fewer callers get in, or a check was added. */
  STRENGTHENED = 'strengthened',
  /** Worth a look, but neither. */
  TO_NOTE = 'to-note',
}

/** Where a change is: a service, an API (matched by path), a resource. */
export interface ChangeSubject {
  readonly service: string;
  readonly serviceName?: string;
  readonly api?: string;
  readonly apiPath?: string;
  readonly apiName?: string;
  readonly resource?: string;
}

/** One scope's policy text before and after (absent: no policy at that scope). */
export interface PolicyChange {
  readonly scope: ScopeKind;
  /** The policy resource's address in the head plan, else in the base. */
  readonly address: string;
  readonly before?: string;
  readonly after?: string;
}

/** What a certificate of the plan is, for naming it. */
export interface CertificateFacts {
  readonly address: string;
  readonly name?: string;
  readonly thumbprint?: string;
  readonly subject?: string;
  readonly issuer?: string;
}

export type AccessChange =
  | {
      /** Some callers' verdict changed alike for some operations of an API. */
      readonly kind: 'verdict';
      readonly impact: ChangeImpact;
      readonly subject: ChangeSubject;
      readonly routes: readonly string[];
      readonly operations: readonly string[];
      /** In the order of the head's callers. */
      readonly callers: readonly Caller[];
      readonly before: Verdict;
      readonly after: Verdict;
      readonly policies: readonly PolicyChange[];
    }
  | {
      /** Operations (or a whole API) the base does not have. */
      readonly kind: 'operation-added';
      readonly impact: ChangeImpact;
      readonly subject: ChangeSubject;
      readonly routes: readonly string[];
      readonly operations: readonly string[];
      /** What lets it count as weakened: the unknown certificate or no certificate admitted, or undecided cells. */
      readonly admitsUnknown: boolean;
      readonly admitsNone: boolean;
      readonly undecided?: string;
      readonly policies: readonly PolicyChange[];
    }
  | { readonly kind: 'operation-removed'; readonly impact: ChangeImpact; readonly subject: ChangeSubject; readonly routes: readonly string[]; readonly operations: readonly string[] }
  | { readonly kind: 'subscription'; readonly impact: ChangeImpact; readonly subject: ChangeSubject; readonly before: boolean; readonly after: boolean }
  | {
      readonly kind: 'backend-tls';
      readonly impact: ChangeImpact;
      readonly subject: ChangeSubject;
      readonly backend: string;
      readonly check: 'chain' | 'name';
      /** `undefined`: not written (the service default). */
      readonly before?: boolean;
      readonly after?: boolean;
    }
  | { readonly kind: 'backend-url'; readonly impact: ChangeImpact; readonly subject: ChangeSubject; readonly backend: string; readonly before?: string; readonly after?: string }
  | {
      readonly kind: 'certificate';
      readonly impact: ChangeImpact;
      readonly subject: ChangeSubject;
      /**
       * `claims-changed`: same source, other claimed thumbprint or names (claims disagree with the plan);
       * `rotated`: new source, same subject and issuer; `replaced`: new source, other names;
       * `replaced-unverified`: new source, names unknown; `claims-stale`: new source, same claimed
       * thumbprint (the claims describe another file); `added`; `removed`.
       */
      readonly change: 'claims-changed' | 'claims-stale' | 'rotated' | 'replaced' | 'replaced-unverified' | 'added' | 'removed';
      readonly before?: CertificateFacts;
      readonly after?: CertificateFacts;
    }
  | {
      /** A thumbprint the policies pin that was a certificate's in the base and is no certificate's now (a stale pin, or edited claims). */
      readonly kind: 'pin-orphaned';
      readonly impact: ChangeImpact;
      readonly subject: ChangeSubject;
      readonly thumbprint: string;
      readonly formerly: CertificateFacts;
    }
  | { readonly kind: 'service'; readonly impact: ChangeImpact; readonly subject: ChangeSubject; readonly change: 'asks-no-longer' | 'asks-now' | 'added' | 'removed' }
  | { readonly kind: 'finding'; readonly impact: ChangeImpact; readonly subject: ChangeSubject; readonly added: boolean; readonly finding: Finding };

export type AccessChangeKind = AccessChange['kind'];
