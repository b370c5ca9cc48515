import { normalizeThumbprint } from './thumbprint';
import { ITrustedCertificate } from './trusted-certificate';

/** @internal */
export enum TrustKind {
  THUMBPRINTS = 'thumbprints',
  UPLOADED_CERTIFICATES = 'uploaded-certificates',
  CERTIFICATES = 'certificates',
}

/** Thrown by the trust factories for input that can never be a valid trust list. */
export class InvalidTrustError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTrustError';
  }
}

/**
 * Which client certificates an API accepts. Every kind pins certificates: a caller must present
 * one of them, and no certificate or any other certificate is rejected.
 */
export class ClientCertificateTrust {
  /**
   * Accept certificates with one of these SHA-1 thumbprints. Values are normalized: case,
   * `:`/space separators and invisible characters are ignored; each must be 40 hex digits.
   */
  public static thumbprints(thumbprints: string[]): ClientCertificateTrust {
    if (thumbprints.length === 0) {
      throw new InvalidTrustError(
        'ClientCertificateTrust.thumbprints([]) trusts no certificate, so every caller would be rejected. Pass at least one thumbprint.',
      );
    }
    const normalized = thumbprints.map((value) => {
      const thumbprint = normalizeThumbprint(value);
      if (!thumbprint) {
        throw new InvalidTrustError(
          `${JSON.stringify(value)} is not a SHA-1 certificate thumbprint. Expected 40 hexadecimal digits ` +
            `(separators and case do not matter), as printed by "openssl x509 -noout -fingerprint -sha1".`,
        );
      }
      return thumbprint;
    });
    return new ClientCertificateTrust(TrustKind.THUMBPRINTS, [...new Set(normalized)], []);
  }

  /**
   * Accept any certificate uploaded to the API Management service (`context.Deployment.Certificates`).
   * Note that this includes certificates uploaded for other purposes, such as backend client
   * certificates; prefer `certificates([...])` to name them.
   */
  public static uploadedCertificates(): ClientCertificateTrust {
    return new ClientCertificateTrust(TrustKind.UPLOADED_CERTIFICATES, [], []);
  }

  /** Accept exactly these certificates uploaded to API Management (pinned by thumbprint). */
  public static certificates(certificates: ITrustedCertificate[]): ClientCertificateTrust {
    if (certificates.length === 0) {
      throw new InvalidTrustError(
        'ClientCertificateTrust.certificates([]) trusts no certificate, so every caller would be rejected. Pass at least one certificate.',
      );
    }
    return new ClientCertificateTrust(TrustKind.CERTIFICATES, [], [...certificates]);
  }

  private constructor(
    /** @internal */ public readonly kind: TrustKind,
    /** @internal */ public readonly pinnedThumbprints: readonly string[],
    /** @internal */ public readonly trustedCertificates: readonly ITrustedCertificate[],
  ) {}
}
