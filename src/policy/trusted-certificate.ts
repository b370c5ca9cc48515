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
}
