import { X509Certificate } from 'node:crypto';
import { PolicyFormat } from './policy-xml-reader';
import type { ValueObserver } from './value-observer';
import { RevocationStatus } from './revocation-status';
import { SimulatedCertificate } from './simulated-certificate';

/** A certificate given to the simulator: its bytes, or a view of it (e.g. from `SimulatedCertificate.fromFacts`). */
export type SimulatedCertificateInput = X509Certificate | SimulatedCertificate;

/** The policy of one scope around the simulated policy (global, product, API). */
export interface EnclosingPolicy {
  /** A name for the scope, e.g. `global` or `product:partners`; element paths in results start with `<scope>:`. */
  readonly scope: string;
  /** The scope's policy document (`<policies>`). */
  readonly policy: string;
}

/** A request to simulate, and what the APIM service around the policy holds. */
export interface SimulatedRequest {
  /**
   * The certificate the caller presents (`context.Request.Certificate`).
   * @default - none: the caller presents no certificate (C# null)
   */
  readonly clientCertificate?: SimulatedCertificateInput;
  /**
   * Certificates uploaded to the service by certificate id (`context.Deployment.Certificates`,
   * `azurerm_api_management_certificate`). Also used to resolve `certificate-id` attributes and
   * `issuer-certificate-id` claims.
   * @default - none
   */
  readonly uploadedCertificates?: Readonly<Record<string, SimulatedCertificateInput>>;
  /**
   * CA certificates uploaded to the service (`certificate` blocks of `azurerm_api_management`,
   * stores Root and CertificateAuthority). Chain checks (`Verify()`, `VerifyNoRevocation()`,
   * `validate-trust`) trust only self-signed certificates from this list as roots and use the
   * others as intermediates; no public root is trusted in the simulation.
   * @default - none: every chain check fails
   */
  readonly caCertificates?: readonly SimulatedCertificateInput[];
  /**
   * CA certificates uploaded to the CertificateAuthority (intermediate) store only, kept apart
   * from `caCertificates` when the store is known: they complete chains but are never trust
   * anchors, so a root uploaded there alone does not make its chains valid.
   * @default - none: every CA certificate is in `caCertificates`
   */
  readonly intermediateCertificates?: readonly SimulatedCertificateInput[];
  /**
   * Request headers (`context.Request.Headers`), each with its value or values. Names compare
   * without regard to case, as in APIM. A gateway in front of APIM may forward the client
   * certificate or its thumbprint in a header; anyone can send such a header unless that
   * gateway overwrites it and APIM is reachable only through it.
   * @default - no headers
   */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Named values of the service by name (`azurerm_api_management_named_value`), substituted for
   * `{{name}}` before a policy is read, as APIM does: the text goes in as it is, unescaped, so a
   * value holding `"`, `<` or `&` changes the document around it. A `{{name}}` not given here
   * (a secret, a Key Vault value, one not defined) is an UnknownNamedValueError. Give only
   * values that may be shown: substituted text can appear in `trace` and in error messages.
   * @default - none
   */
  readonly namedValues?: Readonly<Record<string, string>>;
  /**
   * The moment of the request (`DateTime.Now`; APIM runs in UTC).
   * @default - the current time
   */
  readonly now?: Date;
  /**
   * What revocation checks (`Verify()`, `validate-revocation`) find for the presented chain.
   * The default is what APIM meets with a private CA whose CRL/OCSP endpoint it cannot reach:
   * the check fails. Set `RevocationStatus.GOOD` to simulate a reachable, clean responder.
   * @default RevocationStatus.UNREACHABLE
   */
  readonly revocation?: RevocationStatus;
  /**
   * Policy fragments by fragment id, for `<include-fragment fragment-id="…"/>`: each a
   * `<fragment>` document in the same format as the policy (named values are substituted in it too).
   * @default - none: an include-fragment is an error
   */
  readonly fragments?: Readonly<Record<string, string>>;
  /**
   * The policy of the enclosing scope (product or global) that `<base />` stands for; its own
   * `<base />` elements stand for nothing. Shorthand for one `enclosingPolicies` entry with
   * scope `base`; give one or the other.
   * @default - none: `<base />` does nothing
   */
  readonly basePolicy?: string;
  /**
   * The policies of the scopes around this one, outermost first, as APIM composes them for an
   * operation: `[global, product, api]` around an operation policy. `<base />` in a section runs
   * the same section of the next scope out; the outermost scope's `<base />` stands for nothing.
   * @default - none: `<base />` does nothing
   */
  readonly enclosingPolicies?: readonly EnclosingPolicy[];
  /**
   * A name for the simulated policy's own scope; when given, its element paths start with `<scope>:`.
   * @default - no prefix
   */
  readonly scope?: string;
  /**
   * How the policy, the base policy and the fragments are written.
   * @default PolicyFormat.AUTO
   */
  readonly format?: PolicyFormat;
  /**
   * How individual fragments are written, by fragment id, where it differs from `format`
   * (azurerm's `azurerm_api_management_policy_fragment` has a `format` of its own).
   * @default - every fragment in `format`
   */
  readonly fragmentFormats?: Readonly<Record<string, PolicyFormat>>;
  /**
   * Watches values of the request while the policy runs (e.g. the presented certificate's
   * thumbprint): every comparison and other use of them is reported to it.
   * @default - nothing is watched
   */
  readonly observer?: ValueObserver;
}
