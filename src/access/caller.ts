/** Who is simulated calling an operation. */
export enum CallerKind {
  /** A certificate uploaded to the service (`azurerm_api_management_certificate`). */
  CERTIFICATE = 'certificate',
  /** A leaf certificate issued by a CA certificate uploaded to the service. */
  CA_LEAF = 'ca-leaf',
  /** A certificate with a thumbprint that a policy pins literally and no certificate of the plan has. */
  PINNED_THUMBPRINT = 'pinned-thumbprint',
  /** A certificate with the thumbprint a guarded Terraform value will have. */
  GUARDED_THUMBPRINT = 'guarded-thumbprint',
  /** A certificate the plan knows nothing of. */
  UNKNOWN_CERTIFICATE = 'unknown-certificate',
  /** A caller presenting no certificate. */
  NO_CERTIFICATE = 'no-certificate',
  /**
   * A caller presenting no certificate but sending the request headers a gateway in front
   * (Application Gateway, a reverse proxy) uses to forward one, with a forged value: exposes
   * gates that trust such a header.
   */
  FORGED_HEADER = 'forged-certificate-header',
  /** Another caller's certificate, presented after it expired. */
  EXPIRED = 'expired',
  /** Another certificate with a caller's subject and issuer names, issued by a CA the service does not hold. */
  IMPOSTOR = 'impostor',
  /**
   * A certificate anyone can make (own key, signed by no CA the service holds), made to pass a
   * test a policy applies to the presented certificate: a subject, common name, issuer or serial
   * number chosen, or a thumbprint with a chosen start or end (the tested hex spliced into it).
   */
  CHOSEN = 'chosen',
}

/** What a CHOSEN caller's maker chose to pass a policy's test. */
export interface ChosenFact {
  /** `thumbprint`, `subject`, `issuer`, `common-name` or `serial-number`. */
  readonly field: string;
  /** `equals`, `starts-with`, `ends-with` or `contains`. */
  readonly test: string;
  /** The text the policy tests against. */
  readonly against: string;
}

/** What a certificate is used for in the plan. */
export enum CallerRole {
  /** Uploaded, or named by a policy, to admit callers. */
  CLIENT = 'client',
  /** Presented by APIM to a backend (backend credentials, `authentication-certificate`). */
  BACKEND_CLIENT = 'backend-client',
}

export interface Caller {
  /**
   * Stable within a plan: `certificate:<address>`, `ca-leaf:<CA thumbprint>`,
   * `thumbprint:<thumbprint>`, `unknown`, `none`, `forged-header`, `expired:<key>`, `impostor:<key>`,
   * `chosen:<facts>`.
   */
  readonly key: string;
  readonly kind: CallerKind;
  /** The plan's certificate (address) for CERTIFICATE callers and copies of them. */
  readonly certificate?: string;
  /** For EXPIRED and IMPOSTOR: the key of the caller copied. */
  readonly copyOf?: string;
  /** Thumbprint presented; absent for NO_CERTIFICATE. */
  readonly thumbprint?: string;
  /** The thumbprint is a placeholder for one only Terraform or the certificate's file knows. */
  readonly placeholderThumbprint?: boolean;
  /** Subject and issuer as .NET prints them, when known. */
  readonly subject?: string;
  readonly issuer?: string;
  /** The CA certificate's thumbprint, for CA_LEAF callers and copies of them. */
  readonly issuedBy?: string;
  /** For CHOSEN callers: what was chosen, in the order the tests were found. */
  readonly chosen?: readonly ChosenFact[];
  readonly roles: readonly CallerRole[];
}
