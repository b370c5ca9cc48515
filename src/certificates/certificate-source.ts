import { Secret } from './secret';

export interface PfxFileOptions {
  /**
   * The PFX password. It reaches Terraform as a sensitive variable unless plain text is chosen;
   * with `Secret.fromEnvironment` it is also read at synth to open and check the PFX.
   */
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
  PFX_SECRET = 'pfx-secret',
  KEY_VAULT = 'key-vault',
}

/** Where a certificate uploaded to API Management comes from. */
export class CertificateSource {
  /**
   * A .pfx/.p12 file with its private key. At synth it is checked (a private key readable
   * without the password is refused) and, when the password is available, opened and checked
   * further. Terraform reads the file with `filebase64()` from a copy next to the stack in
   * `cdktf.out` (its key encrypted with the password), so the bytes never appear in
   * `cdk.tf.json`. A relative path is resolved from the directory cdktf runs the app in.
   */
  public static fromPfxFile(path: string, options: PfxFileOptions): CertificateSource {
    // Checked by the construct that uses the source, so that errors name it.
    return new CertificateSource(CertificateSourceKind.PFX_FILE, path, options?.password);
  }

  /**
   * A PFX given as one line of base64 (`base64 -w0 partner.pfx`) through a secret, for teams
   * that cannot treat `cdktf.out` as secret: nothing of the PFX is written there, Terraform
   * gets it as a sensitive variable. The trade-off: synth checks it only when the value is also
   * available where the app runs (`Secret.fromEnvironment` with the variable set); a new value
   * updates the certificate in place under the same name instead of replacing it.
   */
  public static fromPfxSecret(pfxBase64: Secret, options: PfxFileOptions): CertificateSource {
    return new CertificateSource(CertificateSourceKind.PFX_SECRET, pfxBase64?.description, options?.password, undefined, pfxBase64);
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
    /** File path, Key Vault secret id, or where a PFX secret comes from. */
    public readonly location: string,
    /** @internal */ public readonly password?: Secret,
    /** @internal */ public readonly identityClientId?: string,
    /** @internal */ public readonly pfxBase64?: Secret,
  ) {}
}
