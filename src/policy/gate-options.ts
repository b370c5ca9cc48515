import { ClientCertificateTrust } from './client-certificate-trust';
import { GateStyle } from './gate-style';

/**
 * What a client-certificate gate checks and how it answers a caller it rejects. Documented
 * once here and shared by every construct that writes a gate (`ClientCertGatedApi`,
 * `ClientCertificateGate`) and by the pure function `clientCertificateGate`.
 */
export interface GateOptions {
  /** Which client certificates are admitted. A caller without a certificate is always rejected. */
  readonly trust: ClientCertificateTrust;
  /**
   * Require the certificate to chain to a trusted root (`validate-trust`, `Verify()`). For
   * private or self-signed chains the root and intermediate CA certificates must be uploaded to
   * the service (`caCertificates`; not possible on Consumption).
   * @default false - every trust kind pins certificates, which needs no chain
   */
  readonly verifyChain?: boolean;
  /**
   * Check the certificate's revocation status (CRL/OCSP) along the chain; needs `verifyChain`.
   * Fails when the CA's revocation endpoint is unreachable from APIM, typical for private CAs.
   * @default - same as verifyChain
   */
  readonly checkRevocation?: boolean;
  /**
   * Reject certificates that are expired or not yet valid. Turning it off is insecure and
   * warned; it cannot be turned off with `verifyChain`, which checks validity itself.
   * @default true
   */
  readonly checkValidityPeriod?: boolean;
  /**
   * Require this issuer distinguished name exactly as .NET prints it (`X509Certificate2.Issuer`,
   * e.g. `CN=Contoso CA, O="Contoso, Inc.", C=US`), not as openssl prints it.
   * @default - any issuer
   */
  readonly issuer?: string;
  /**
   * Require this subject distinguished name exactly as .NET prints it
   * (`X509Certificate2.SubjectName.Name`, e.g. `CN=partner-a, O=Partner A`).
   * @default - any subject
   */
  readonly subject?: string;
  /**
   * How the gate is written into the inbound policy.
   * @default GateStyle.VALIDATE_POLICY
   */
  readonly gateStyle?: GateStyle;
  /**
   * HTTP status returned to a rejected caller (400-499). Only for `GateStyle.EXPRESSION`;
   * `validate-client-certificate` always answers 401.
   * @default 401
   */
  readonly rejectStatusCode?: number;
  /**
   * HTTP reason phrase returned to a rejected caller. Only for `GateStyle.EXPRESSION`.
   * @default 'Invalid client certificate'
   */
  readonly rejectReason?: string;
}
