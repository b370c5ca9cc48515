import { Token } from 'cdktf';
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
 *
 * Values are checked when the gate is built, so a construct can name itself in the error.
 */
export class ClientCertificateTrust {
  /**
   * Accept certificates with one of these SHA-1 thumbprints. Values are normalized: case,
   * `:`/space separators and invisible characters are ignored; each must be 40 hex digits.
   * A Terraform token (a variable, a data source) is wrapped in a `regex()` on its upper-cased
   * value: anything but 40 hex digits fails the plan and never reaches the policy.
   */
  public static thumbprints(thumbprints: string[]): ClientCertificateTrust {
    return new ClientCertificateTrust(TrustKind.THUMBPRINTS, [...thumbprints], []);
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
    return new ClientCertificateTrust(TrustKind.CERTIFICATES, [], [...certificates]);
  }

  private constructor(
    /** @internal */ public readonly kind: TrustKind,
    private readonly givenThumbprints: readonly string[],
    /** @internal */ public readonly trustedCertificates: readonly ITrustedCertificate[],
  ) {}

  /**
   * The pinned thumbprints, normalized and without duplicates; Terraform tokens as given (the
   * gate guards them). Throws InvalidTrustError for a value that is not a thumbprint or a list
   * that would trust nobody.
   * @internal
   */
  public get pinnedThumbprints(): readonly string[] {
    this.checkNotEmpty();
    const normalized = this.givenThumbprints.map((value, i) => {
      if (typeof value !== 'string') {
        // A number token (e.g. a number variable) would reach cdktf's string functions and fail there.
        throw new InvalidTrustError(
          `thumbprints[${i}] is ${Token.isUnresolved(value) ? 'a number or list token' : `a ${typeof value}`}, not a string. ` +
            'Pass the thumbprint as text, or a Terraform string value (Token.asString(...) of a string variable or attribute).',
        );
      }
      if (Token.isUnresolved(value)) return value;
      const thumbprint = normalizeThumbprint(value);
      if (!thumbprint) {
        throw new InvalidTrustError(
          `${JSON.stringify(value)} is not a SHA-1 certificate thumbprint. Expected 40 hexadecimal digits ` +
            `(separators and case do not matter), as printed by "openssl x509 -noout -fingerprint -sha1".`,
        );
      }
      return thumbprint;
    });
    return [...new Set(normalized)];
  }

  /**
   * Throws InvalidTrustError when the trust can admit nobody.
   * @internal
   */
  public checkNotEmpty(): void {
    if (this.kind === TrustKind.THUMBPRINTS && this.givenThumbprints.length === 0) {
      throw new InvalidTrustError(
        'ClientCertificateTrust.thumbprints([]) trusts no certificate, so every caller would be rejected. Pass at least one thumbprint.',
      );
    }
    if (this.kind === TrustKind.CERTIFICATES && this.trustedCertificates.length === 0) {
      throw new InvalidTrustError(
        'ClientCertificateTrust.certificates([]) trusts no certificate, so every caller would be rejected. Pass at least one certificate.',
      );
    }
  }
}
