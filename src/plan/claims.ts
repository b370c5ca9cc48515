/*
 * What our constructs write under `//` in cdk.tf.json: public facts the resource itself does
 * not show (a PFX certificate's thumbprint, subject and validity; how a backend presents its
 * client certificate; how a service asks for client certificates). Terraform ignores `//`, so
 * anyone who can edit the configuration can edit these: the plan reader treats them as claims
 * that name and describe things, never as proof of what is trusted.
 */

/** Key under `//` where the facts are written. */
export const CLAIMS_KEY = 'cdktf-apim-mtls';

/** Facts about an uploaded certificate. */
export interface CertificateClaims {
  readonly kind: 'certificate';
  readonly source: 'pfx-file' | 'pfx-secret' | 'key-vault';
  /** File name of the PFX (no directory, so no machine path), for PFX certificates. */
  readonly fileName?: string;
  /** Whether the PFX was opened at synth; the fields below are present only then. */
  readonly inspected: boolean;
  readonly thumbprint?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly selfSigned?: boolean;
}

/** Facts about a mutual-TLS backend. */
export interface BackendClaims {
  readonly kind: 'mutual-tls-backend';
  /** APIM id of the client certificate presented. */
  readonly clientCertificateId: string;
  /** Who presents it: the backend's credentials (PFX) or each API policy by id (Key Vault). */
  readonly presentedBy: 'backend-credentials' | 'api-policy';
}

/** Facts about a service. */
export interface ServiceClaims {
  readonly kind: 'service';
  /** How the service asks callers for client certificates (`ClientCertificateNegotiation`). */
  readonly clientCertificateNegotiation: string;
}

export type ResourceClaims = CertificateClaims | BackendClaims | ServiceClaims;
