import { PlanValue } from '../plan';

/** What APIM does with one caller's request to one operation over one route. */
export type Verdict = RejectedVerdict | AnsweredVerdict | ForwardedVerdict | UndecidedVerdict;

/** Where in the composed policy an answer came from. */
export interface Responsible {
  /** Terraform address of the policy resource. */
  readonly scope: string;
  /** Path of the element in that document, e.g. `/policies/inbound/validate-client-certificate`. */
  readonly element: string;
}

/** APIM answered with an error status: the backend never sees the request. */
export interface RejectedVerdict {
  readonly kind: 'rejected';
  readonly status: number;
  readonly by?: Responsible;
  /** Why the element failed, when an error (not a return-response) answered. */
  readonly detail?: string;
  /**
   * Request headers the policies read before rejecting that this caller did not send (lower
   * case): it is rejected for the headers it sent, and no value the review tried for them got it
   * in, but a caller chooses its headers, so the rejection is not proven for every request.
   */
  readonly steerableBy?: readonly string[];
}

/** APIM answered with a success or redirect status itself (a gateway answer, e.g. a mock). */
export interface AnsweredVerdict {
  readonly kind: 'answered';
  readonly status: number;
  readonly by?: Responsible;
  /** Only when the caller also sends these request headers (lower-case names, sorted), as anyone can. */
  readonly chosenHeaders?: readonly string[];
}

/** How the destination of a forwarded request was chosen. */
export enum Destination {
  /** `set-backend-service backend-id`: an `azurerm_api_management_backend`. */
  BACKEND = 'backend',
  /** `set-backend-service base-url`. */
  BASE_URL = 'base-url',
  /** The API's `service_url`. */
  SERVICE_URL = 'service-url',
  /** Nothing sets a destination. */
  NONE = 'none',
}

export interface ForwardedVerdict {
  readonly kind: 'forwarded';
  readonly destination: Destination;
  /** The backend's address or its name (when it is not a backend of the plan). */
  readonly backend?: string;
  readonly url: PlanValue<string>;
  /** `host[:port]`, lower case, when the URL is known. */
  readonly host?: string;
  /** Client certificates APIM presents to the backend: certificate addresses, or `thumbprint:<T>`/`id:<name>` outside the plan. */
  readonly presents: readonly string[];
  /** The backend's server certificate checks (absent: not written, the service default). */
  readonly validateCertificateChain?: PlanValue<boolean>;
  readonly validateCertificateName?: PlanValue<boolean>;
  /** Only when the caller also sends these request headers (lower-case names, sorted), as anyone can. */
  readonly chosenHeaders?: readonly string[];
}

export interface UndecidedVerdict {
  readonly kind: 'undecided';
  readonly reason: string;
}
