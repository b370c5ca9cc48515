/** What a revocation check (CRL/OCSP) finds, which the simulation cannot look up itself. */
export enum RevocationStatus {
  /** The responder answers that the certificates are not revoked. */
  GOOD = 'good',
  /** A certificate in the chain is revoked. */
  REVOKED = 'revoked',
  /**
   * APIM cannot reach a CRL or OCSP endpoint (or the certificate names none), which is typical
   * for private CAs. The check fails, as it does in APIM.
   */
  UNREACHABLE = 'unreachable',
}
