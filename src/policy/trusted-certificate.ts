/**
 * A certificate uploaded to API Management that callers may present. Implemented by
 * `UploadedCertificate`; any object with these two attributes works.
 */
export interface ITrustedCertificate {
  /** The certificate's name (id) in API Management. */
  readonly certificateId: string;
  /**
   * Upper-case SHA-1 thumbprint: a literal when known at synth time, else a Terraform token
   * that resolves to the uploaded certificate's thumbprint.
   */
  readonly thumbprint: string;
  /**
   * True when the certificate can change without Terraform (a Key Vault certificate that APIM
   * re-reads after rotation). The gate then matches it by certificate id in
   * `context.Deployment.Certificates`, never by a thumbprint that would go stale.
   * @default false
   */
  readonly rotatesOutsideTerraform?: boolean;
}
