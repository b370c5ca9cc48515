import { TerraformResource } from 'cdktf';

/**
 * Key under a resource's `//` comment block in cdk.tf.json where our constructs leave facts for
 * the review report that the resource itself does not show (a PFX certificate's thumbprint and
 * expiry, how a backend presents its certificate). Public facts only, never secrets; Terraform
 * ignores `//` keys.
 */
export const REVIEW_METADATA_KEY = 'cdktf-apim-mtls';

/** Facts about an uploaded certificate. */
export interface CertificateReviewMetadata {
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
export interface BackendReviewMetadata {
  readonly kind: 'mutual-tls-backend';
  /** APIM id of the client certificate presented. */
  readonly clientCertificateId: string;
  /** Who presents it: the backend's credentials (PFX) or each API policy by id (Key Vault). */
  readonly presentedBy: 'backend-credentials' | 'api-policy';
}

/** Facts about a service. */
export interface ServiceReviewMetadata {
  readonly kind: 'service';
  /** How the service asks callers for client certificates (`ClientCertificateNegotiation`). */
  readonly clientCertificateNegotiation: string;
}

export type ReviewMetadata = CertificateReviewMetadata | BackendReviewMetadata | ServiceReviewMetadata;

export function writeReviewMetadata(resource: TerraformResource, metadata: ReviewMetadata): void {
  resource.addOverride(`//.${REVIEW_METADATA_KEY}`, metadata);
}
