import { Plan, PlanValue } from '../plan';
import { Caller } from './caller';
import { Verdict } from './verdict';

/*
 * The who-may-call matrix: for each service, each operation of each API reached over each
 * route (each linked product, and no product), the composed scope chain and what APIM does
 * with each simulated caller. Plain data; the plan it was built from comes along for rules.
 */

export interface AccessMatrix {
  readonly plan: Plan;
  /** Sorted by service key. */
  readonly services: readonly ServiceAccess[];
}

export interface ServiceAccess {
  /** The plan's service key (`name:<lower-case name>`, …). */
  readonly service: string;
  readonly name: PlanValue<string>;
  /**
   * Whether APIM asks callers for a certificate. When it does not, every caller is simulated
   * presenting none; when undecided, callers are simulated presenting theirs.
   */
  readonly asksForCertificates: PlanValue<boolean>;
  readonly callers: readonly Caller[];
  readonly operations: readonly OperationAccess[];
}

/** A policy scope in the chain APIM composes for an operation. */
export enum ScopeKind {
  GLOBAL = 'global',
  PRODUCT = 'product',
  API = 'api',
  OPERATION = 'operation',
}

export interface ChainScope {
  readonly kind: ScopeKind;
  /** Terraform address of the policy resource. */
  readonly address: string;
  readonly text: PlanValue<string>;
  /** As written in the configuration. */
  readonly written?: string;
}

/** Which operation, reached how. */
export interface OperationRef {
  readonly service: string;
  /** The plan's API key. */
  readonly api: string;
  /** Identifies the API across plans: `path:<lower-case path>` (with `@<version>` when versioned), else `name:<name>`. */
  readonly apiMatch: string;
  readonly apiName: string;
  readonly apiPath?: string;
  /** `METHOD url-template`, `id:<operation id>`, or `*` for every request no listed operation matches. */
  readonly operation: string;
  readonly method?: string;
  readonly urlTemplate?: string;
  /** `none` (no product: subscription not required, or a service-wide key), or `product:<lower-case id>`. */
  readonly route: string;
  readonly productId?: string;
}

export interface OperationAccess {
  readonly ref: OperationRef;
  /** Scopes with a policy, outermost first; a scope without one stands for `<base />`. */
  readonly chain: readonly ChainScope[];
  /** Set when the API, operation or product link may not exist (`count`/`for_each`). */
  readonly presence?: string;
  /**
   * One per caller the chain can tell apart, in the order of `ServiceAccess.callers`. A caller
   * that differs from a simulated stand-in only in a field the chain's run of that stand-in never
   * tested against a value it passes (a pinned thumbprint, and its expired copy) has no cell: the
   * policies cannot tell it from the stand-in, so it fares exactly as that one.
   * (Listing it would make a plan with N pinned partners an N × N matrix.)
   */
  readonly cells: readonly AccessCell[];
}

export interface AccessCell {
  readonly caller: Caller;
  readonly verdict: Verdict;
  /** Addresses of the scopes whose policy ran, innermost first. */
  readonly scopesRun: readonly string[];
  /** Addresses of the scopes whose `<inbound>` ran, innermost first (where a gate judges a request). */
  readonly inboundScopesRun: readonly string[];
  /**
   * Request headers the chain's expressions looked up that this caller did not send (lower
   * case): any caller can send them and steer those expressions, which the verdict does not cover.
   */
  readonly headersNotSent?: readonly string[];
  /**
   * The chain (or a fragment or named value of the service) names the caller's certificate: by
   * its thumbprint, or by its certificate id in quotes.
   */
  readonly mentioned?: 'thumbprint' | 'name';
}
