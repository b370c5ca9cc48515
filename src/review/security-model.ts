/*
 * The security model of a synthesized plan: who may call each API, how each backend is
 * authenticated, which certificates exist and how each service asks for client certificates.
 * Built by `buildSecurityModel` from the synthesized directory only; rendered by `renderReport`
 * and compared by `diffSecurityModels`. Never holds a secret (no PFX data, no password).
 */

/** Whether an API's client-certificate gate could be read. */
export enum ReviewedGateStatus {
  /** A gate whose meaning is known exactly (ours, or a form we read term by term). */
  RECOGNISED = 'recognised',
  /** Certificate checks are there but not in a form the review understands: read it by hand. */
  NOT_RECOGNISED = 'not-recognised',
  /** The API's policy checks no client certificate. */
  NO_GATE = 'no-gate',
  /** The plan has no policy for the API. */
  NO_POLICY = 'no-policy',
}

/** How a recognised gate is written. */
export enum ReviewedGateStyle {
  /** `<validate-client-certificate>` alone. */
  VALIDATE_POLICY = 'validate-client-certificate',
  /** Membership by a `choose`/`when` expression, then `<validate-client-certificate>` for the checks. */
  VALIDATE_POLICY_WITH_EXPRESSION = 'validate-client-certificate-with-expression',
  /** `choose`/`when` with `return-response`. */
  EXPRESSION = 'expression',
}

/** One way a caller's certificate can be admitted. */
export enum TrustMemberKind {
  /** A pinned SHA-1 thumbprint (literal, or an uploaded certificate's thumbprint known after apply). */
  THUMBPRINT = 'thumbprint',
  /** The certificate uploaded under this id, matched in `context.Deployment.Certificates`. */
  CERTIFICATE_ID = 'certificate-id',
  /** Any certificate uploaded to the service. */
  ANY_UPLOADED = 'any-uploaded',
  /** Any certificate that passes the gate's checks and rules (no pinning). */
  ANY_CERTIFICATE = 'any-certificate',
  /** Every caller, with or without a certificate (e.g. `ignore-error="true"`). */
  ANYONE = 'anyone',
  /** Any certificate NOT uploaded to the service: the inverted check of the 2017 documentation. */
  NOT_UPLOADED = 'not-uploaded',
  /** One `<identity>` of validate-client-certificate whose claims differ from the others'. */
  IDENTITY = 'identity',
}

/** A claim of validate-client-certificate (`thumbprint`, `subject`, `issuer-subject`, …). */
export interface PolicyClaim {
  readonly name: string;
  readonly value: string;
}

/** A certificate named by a policy or a backend, and the uploaded certificates it matches. */
export interface CertificateReference {
  /** Upper-case thumbprint, when written literally. */
  readonly thumbprint?: string;
  /** The Terraform reference (e.g. `azurerm_api_management_certificate.X.thumbprint`) when known only after apply. */
  readonly reference?: string;
  /** An uploaded certificate's id (name in APIM). */
  readonly certificateId?: string;
  /** Names of the uploaded certificates in the plan it resolves to, sorted. */
  readonly certificateNames: readonly string[];
}

export interface TrustMember extends CertificateReference {
  readonly kind: TrustMemberKind;
  /** Stable identity used to compare two plans. */
  readonly key: string;
  /** Claims of an IDENTITY member. */
  readonly claims?: readonly PolicyClaim[];
}

export interface CertificateChecks {
  /** The chain must lead to a trusted root (`validate-trust`, `Verify()`). */
  readonly chain: boolean;
  /** Revocation is checked (`validate-revocation`, `Verify()`). */
  readonly revocation: boolean;
  readonly notBefore: boolean;
  readonly notAfter: boolean;
}

export interface ReviewedGate {
  readonly status: ReviewedGateStatus;
  readonly style?: ReviewedGateStyle;
  /** Who is admitted; any one member suffices. Sorted by key. */
  readonly members: readonly TrustMember[];
  /** Rules every admitted certificate must also meet (issuer, subject, …). Sorted by name. */
  readonly rules: readonly PolicyClaim[];
  readonly checks?: CertificateChecks;
  /** Status returned to a rejected caller (validate-client-certificate: 401). */
  readonly rejectStatusCode?: number;
  readonly rejectReason?: string;
  /** Why the gate is not recognised. */
  readonly problem?: string;
  /** For a gate that is not recognised: the conditions and elements found, for reading by hand. */
  readonly details: readonly string[];
}

/** Where an API sends admitted requests and which certificates its policy presents. */
export interface ReviewedRouting {
  /** `set-backend-service backend-id`. */
  readonly backendId?: string;
  /** `set-backend-service base-url`. */
  readonly baseUrl?: string;
  /** `authentication-certificate` statements (never their body or password). */
  readonly authenticationCertificates: readonly CertificateReference[];
}

/** What every reviewed thing attached to a service has: where it is in the plan and which service. */
export interface ReviewedServiceMember {
  /** Stable identity across plans: stack, service and own name. */
  readonly key: string;
  readonly stack: string;
  readonly constructPath?: string;
  /** Its name in API Management. */
  readonly name: string;
  readonly serviceKey: string;
  readonly serviceName: string;
}

export interface ReviewedApi extends ReviewedServiceMember {
  /** Terraform address of the `azurerm_api_management_api`; absent when the plan has only its policy. */
  readonly address?: string;
  readonly displayName?: string;
  readonly path?: string;
  readonly protocols: readonly string[];
  readonly subscriptionRequired?: boolean;
  readonly serviceUrl?: string;
  readonly policyAddress?: string;
  /** SHA-256 of the policy document as written, to notice changes of gates that are not recognised. */
  readonly policyDigest?: string;
  readonly gate: ReviewedGate;
  readonly routing: ReviewedRouting;
  /** Operations whose own policy leaves out `<base />` in inbound and so skips this API's gate. */
  readonly operationsSkippingGate: readonly string[];
  /** Findings a reviewer should look at, plain text. */
  readonly flags: readonly string[];
}

/** Who presents a backend's client certificate. */
export enum ClientCertificatePresentation {
  /** `credentials.certificate` of the backend (thumbprints): every API using the backend presents it. */
  BACKEND_CREDENTIALS = 'backend-credentials',
  /** Each API's policy, `<authentication-certificate certificate-id=…/>`. */
  API_POLICY = 'api-policy',
  /** No client certificate. */
  NONE = 'none',
}

export interface ReviewedBackend extends ReviewedServiceMember {
  readonly address: string;
  readonly url?: string;
  readonly protocol?: string;
  /** Undefined when not written: the service default is undocumented. */
  readonly validateCertificateChain?: boolean;
  readonly validateCertificateName?: boolean;
  readonly presentation: ClientCertificatePresentation;
  /** The client certificate(s) presented: the backend's credentials, or the one its metadata names for API policies. */
  readonly clientCertificates: readonly CertificateReference[];
  /** API keys routed to this backend, sorted. */
  readonly usedByApis: readonly string[];
  readonly flags: readonly string[];
}

export enum CertificateOrigin {
  PFX_FILE = 'pfx-file',
  KEY_VAULT = 'key-vault',
  UNKNOWN = 'unknown',
}

export interface ReviewedCertificate extends ReviewedServiceMember {
  readonly address: string;
  readonly origin: CertificateOrigin;
  /** PFX file name (no directory). */
  readonly fileName?: string;
  readonly keyVaultSecretId?: string;
  readonly keyVaultIdentityClientId?: string;
  /** How the PFX password reaches Terraform, e.g. `variable partner_pfx_password`; never the value. */
  readonly passwordSource?: string;
  /** Whether the PFX was opened at synth, so the fields below are known. */
  readonly inspected: boolean;
  readonly thumbprint?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly selfSigned?: boolean;
  readonly flags: readonly string[];
}

export interface ReviewedService {
  readonly key: string;
  readonly stack: string;
  /** Address of the `azurerm_api_management`; absent for a service this plan only refers to. */
  readonly address?: string;
  readonly constructPath?: string;
  readonly name: string;
  /** Whether the plan creates the service (else it only attaches things to an existing one). */
  readonly managed: boolean;
  readonly skuName?: string;
  /** What the SKU needs so that callers are asked for certificates (`ClientCertificateNegotiation` values). */
  readonly requiredMechanism?: string;
  /** The mechanisms the plan sets up, sorted. */
  readonly mechanisms: readonly string[];
  /** Proxy host names with `negotiate_client_certificate = true`. */
  readonly negotiatingHostNames: readonly string[];
  /** Store names of the CA certificates uploaded for chain validation, one per certificate. */
  readonly caCertificateStores: readonly string[];
  readonly flags: readonly string[];
}

/** Another policy in the plan (global, product, operation), with its gate if it has one. */
export interface ReviewedOtherPolicy {
  readonly key: string;
  readonly stack: string;
  readonly address: string;
  /** `global`, `product <id>`, `operation <api>/<operation>`, `fragment <id>`. */
  readonly scope: string;
  readonly gate: ReviewedGate;
}

export enum AnnotationLevel {
  ERROR = 'error',
  WARNING = 'warning',
  INFO = 'info',
}

export interface ReviewedAnnotation {
  readonly level: AnnotationLevel;
  readonly constructPath: string;
  readonly message: string;
}

export interface ReviewedStack {
  readonly name: string;
  readonly services: readonly ReviewedService[];
  readonly apis: readonly ReviewedApi[];
  readonly backends: readonly ReviewedBackend[];
  readonly certificates: readonly ReviewedCertificate[];
  readonly otherPolicies: readonly ReviewedOtherPolicy[];
  /** Synth annotations from manifest.json, sorted by level, construct path and message. */
  readonly annotations: readonly ReviewedAnnotation[];
}

export interface SecurityModel {
  /** Sorted by name. */
  readonly stacks: readonly ReviewedStack[];
}
