import { PolicyFormat } from './policy-xml-reader';

/** Whether the request reaches a backend. */
export enum SimulatedOutcome {
  /** The request goes through inbound and backend sections and is sent to a backend. */
  FORWARDED = 'forwarded',
  /** APIM answers the caller itself (return-response or an error); the backend never sees it. */
  REJECTED = 'rejected',
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
  /** HTTP status sent to the caller when REJECTED. */
  readonly statusCode?: number;
  /** Reason phrase sent to the caller when REJECTED. */
  readonly reason?: string;
  /** Path of the element that answered the caller (return-response) or failed (error). */
  readonly rejectedBy?: string;
  /** Set when an error sent the request to on-error. */
  readonly error?: SimulatedPolicyError;
  /** `set-backend-service backend-id` in effect when FORWARDED. */
  readonly backendId?: string;
  /** `set-backend-service base-url` in effect when FORWARDED. */
  readonly backendUrl?: string;
  /** Client certificate presented to the backend when FORWARDED. */
  readonly backendCertificate?: BackendClientCertificate;
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
  /** The format the policy was read in. */
  readonly format: PolicyFormat;
  /** Step-by-step account of the simulation, for debugging a result. */
  readonly trace: readonly string[];
}
