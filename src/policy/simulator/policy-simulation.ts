import { PolicyFormat } from './policy-xml-reader';

/** Whether the request reaches a backend, and if not, how the gateway answered. */
export enum SimulatedOutcome {
  /** The request goes through inbound and backend sections and is sent to a backend. */
  FORWARDED = 'forwarded',
  /** APIM answers the caller with an error status (4xx/5xx: return-response or a failed policy); the backend never sees it. */
  REJECTED = 'rejected',
  /**
   * APIM answers the caller itself with a status below 400 (e.g. `return-response` with 200 or
   * a redirect): not a rejection, but the backend never sees the request either.
   */
  ANSWERED = 'answered',
}

/** The client certificate APIM presents to the backend (`authentication-certificate`). */
export interface BackendClientCertificate {
  /** Thumbprint given in the policy, or of the uploaded certificate named by `certificateId`. */
  readonly thumbprint?: string;
  /** `certificate-id` given in the policy, or the id of the uploaded certificate with `thumbprint`. */
  readonly certificateId?: string;
}

/** The error that sent the request to the on-error section (`context.LastError`). */
export interface SimulatedPolicyError {
  /** The element that failed, e.g. `validate-client-certificate`. */
  readonly source: string;
  /** Its path in the policy. */
  readonly path: string;
  /** Why: the .NET exception type for expressions, the failed check for validate-client-certificate. */
  readonly reason: string;
  readonly message: string;
}

/** A part of a policy the simulator did not interpret. */
export interface NotSimulatedElement {
  /** Path of the element, e.g. `/policies/inbound/rate-limit`; `base:` and `fragment(id):` prefixes for other documents. */
  readonly path: string;
  readonly element: string;
  /** Set when only this attribute of a supported element was not interpreted. */
  readonly attribute?: string;
  readonly reason: string;
  /**
   * Whether it could change the result if it were simulated (reject, answer, fail, change the
   * backend). False only for elements known to leave all of that alone (set-header, trace, …).
   */
  readonly mayChangeOutcome: boolean;
  /** Whether the simulated request ran through it (false: in a branch not taken, or after the answer). */
  readonly reached: boolean;
}

/** What APIM would do with the simulated request. */
export interface PolicySimulation {
  readonly outcome: SimulatedOutcome;
  /** HTTP status sent to the caller when REJECTED or ANSWERED. */
  readonly statusCode?: number;
  /** Reason phrase sent to the caller when REJECTED or ANSWERED. */
  readonly reason?: string;
  /** When REJECTED: path of the element that answered the caller (return-response, set-status) or failed (error). */
  readonly rejectedBy?: string;
  /** When ANSWERED: path of the element that answered the caller. */
  readonly answeredBy?: string;
  /**
   * Set when an error sent the request to on-error: a failed validate-client-certificate, a
   * .NET exception in an expression, an authentication-certificate naming a certificate that is
   * not uploaded (reason `CertificateNotFound`).
   */
  readonly error?: SimulatedPolicyError;
  /** `set-backend-service backend-id` in effect when FORWARDED. */
  readonly backendId?: string;
  /** `set-backend-service base-url` in effect when FORWARDED. */
  readonly backendUrl?: string;
  /** Client certificate presented to the backend when FORWARDED. */
  readonly backendCertificate?: BackendClientCertificate;
  /**
   * The other ways the request may end where a policy decides on state the simulator does not
   * have (a rate limit or quota exceeded, a token refused, a response found in the cache): the
   * outcome above is the request going on through every such policy; each alternative is the
   * request ended by one of them, simulated through on-error. In the order the request reached them.
   */
  readonly alternatives: readonly AlternativeOutcome[];
  /** Every element and attribute that was not interpreted. Never silently ignored. */
  readonly notSimulated: readonly NotSimulatedElement[];
  /**
   * True when the request ran through something not simulated that could change the result:
   * the outcome above is then only what the simulated parts decide.
   */
  readonly outcomeUncertain: boolean;
  /**
   * The scopes whose policy ran for this request (any section), innermost first: the simulated
   * policy's own `scope` (or `''`), then each enclosing scope that a `<base />` reached.
   */
  readonly scopesRun: readonly string[];
  /**
   * The scopes whose `<inbound>` ran for this request, innermost first: a gate in a scope's
   * inbound judged the request only if that scope is here (a `<base />` in another section
   * reaching the scope does not run its inbound).
   */
  readonly inboundScopesRun: readonly string[];
  /** The named values the policies used (`{{name}}`), sorted: the result holds for these values. */
  readonly namedValues: readonly string[];
  /**
   * Request headers the expressions that ran looked up, sent or not (lower case, sorted): the
   * result holds for the headers the request sent, and a caller can send others.
   */
  readonly requestHeadersRead: readonly string[];
  /** The format the policy was read in. */
  readonly format: PolicyFormat;
  /** Step-by-step account of the simulation, for debugging a result. */
  readonly trace: readonly string[];
}

/** The request ended by a policy the simulator runs both ways (rate limits, token checks, the cache). */
export interface AlternativeOutcome {
  /** Path of the policy, e.g. `api:/policies/inbound/rate-limit-by-key`. */
  readonly path: string;
  /** Its element name. */
  readonly element: string;
  /** What the policy does in this alternative: `rejects` (raises an error) or `answers` (from the cache). */
  readonly kind: string;
  /** The simulation with the policy ending the request (its own `alternatives` are empty). */
  readonly simulation: PolicySimulation;
}
