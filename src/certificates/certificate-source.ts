import { Secret } from './secret';

export interface PfxFileOptions {
  /** The PFX password. It reaches Terraform as a sensitive variable unless plain text is chosen. */
  readonly password: Secret;
}

export interface KeyVaultSecretOptions {
  /**
   * Client id of the user-assigned managed identity APIM uses to read the secret; the identity
   * must be assigned to the service and allowed to Get and List secrets.
   * @default - the service's system-assigned identity (the only one that works behind the Key Vault firewall)
   */
  readonly identityClientId?: string;
}

/** @internal */
export enum CertificateSourceKind {
  PFX_FILE = 'pfx-file',
  KEY_VAULT = 'key-vault',
}

/** Where a certificate uploaded to API Management comes from. */
export class CertificateSource {
  /**
   * A .pfx/.p12 file with its private key. At synth it is opened with the password (when
   * available) and checked; Terraform reads the file with `filebase64()`, so the bytes never
   * appear in `cdk.tf.json`. A relative path is resolved from the directory cdktf runs the app in.
   */
  public static fromPfxFile(path: string, options: PfxFileOptions): CertificateSource {
    if (typeof path !== 'string' || path.trim() === '') throw new Error('CertificateSource.fromPfxFile needs the path of a .pfx file.');
    if (!options?.password) throw new Error(`CertificateSource.fromPfxFile(${JSON.stringify(path)}) needs a password: Secret.fromEnvironment(...).`);
    return new CertificateSource(CertificateSourceKind.PFX_FILE, path, options.password);
  }

  /**
   * A certificate kept in Key Vault, referenced by its secret id. Use the versionless id so APIM
   * picks up rotations (within 4 hours). The service needs a managed identity allowed to Get and
   * List secrets; policies must reference such a certificate by id, never by thumbprint.
   */
  public static fromKeyVaultSecret(secretId: string, options: KeyVaultSecretOptions = {}): CertificateSource {
    return new CertificateSource(CertificateSourceKind.KEY_VAULT, secretId, undefined, options.identityClientId);
  }

  private constructor(
    /** @internal */ public readonly kind: CertificateSourceKind,
    /** File path or Key Vault secret id. */
    public readonly location: string,
    /** @internal */ public readonly password?: Secret,
    /** @internal */ public readonly identityClientId?: string,
  ) {}
}
