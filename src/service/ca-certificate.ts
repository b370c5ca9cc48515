import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Where API Management keeps an uploaded CA certificate. */
export enum CaCertificateStore {
  /** A trusted root (self-signed) certificate. */
  ROOT = 'Root',
  /** An intermediate certificate authority. */
  CERTIFICATE_AUTHORITY = 'CertificateAuthority',
}

export interface CaCertificateOptions {
  /**
   * The store the certificate goes into.
   * @default - ROOT for a self-signed certificate, CERTIFICATE_AUTHORITY otherwise
   */
  readonly store?: CaCertificateStore;
}

/**
 * A CA certificate uploaded to the service so that chain validation (`verifyChain`) passes for
 * client certificates issued by a private CA. Public material only: no private key.
 */
export class CaCertificate {
  /** Reads a PEM or DER certificate file at synth time; its content is embedded, not its path. */
  public static fromFile(path: string, options: CaCertificateOptions = {}): CaCertificate {
    let content: Buffer;
    try {
      content = readFileSync(path);
    } catch (error) {
      throw new Error(`CA certificate file ${JSON.stringify(path)} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}). Check the path; a relative path is resolved from the directory the cdktf app runs in.`);
    }
    return CaCertificate.parse(content, `file ${JSON.stringify(path)}`, options);
  }

  /** A certificate in PEM form (`-----BEGIN CERTIFICATE-----`). */
  public static fromPem(pem: string, options: CaCertificateOptions = {}): CaCertificate {
    return CaCertificate.parse(Buffer.from(pem, 'utf8'), 'PEM text', options);
  }

  private static parse(content: Buffer, origin: string, options: CaCertificateOptions): CaCertificate {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(content);
    } catch {
      throw new Error(`${origin} is not an X.509 certificate in PEM or DER form.`);
    }
    if (!certificate.ca) {
      throw new Error(
        `${origin} (${certificate.subject.replace(/\n/g, ', ')}) is not a CA certificate (basicConstraints CA:FALSE). ` +
          'Upload the root or intermediate that issued your client certificates; pin leaf certificates with ClientCertificateTrust instead.',
      );
    }
    const selfSigned = certificate.subject === certificate.issuer && certificate.verify(certificate.publicKey);
    const store = options.store ?? (selfSigned ? CaCertificateStore.ROOT : CaCertificateStore.CERTIFICATE_AUTHORITY);
    return new CaCertificate(certificate.raw.toString('base64'), store, certificate.subject.replace(/\n/g, ', '));
  }

  private constructor(
    /** Base64 DER, the form azurerm's `encoded_certificate` expects. */
    public readonly encodedCertificate: string,
    public readonly store: CaCertificateStore,
    /** Subject, for messages. */
    public readonly subject: string,
  ) {}
}
