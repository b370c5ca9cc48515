import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { ApiManagementCertificateA } from '@cdktf/provider-azurerm/lib/api-management-certificate';
import { Annotations, AssetType, Fn, TerraformAsset, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ConstructConfigurationError } from '../construct-error';
import { nameFromConstructId } from '../construct-names';
import { markResourceThumbprint } from '../policy/resource-thumbprint';
import { ITrustedCertificate } from '../policy/trusted-certificate';
import { writeReviewMetadata } from '../review/review-metadata';
import { ApiManagementService, IApiManagementService } from '../service/api-management-service';
import { CertificateSource, CertificateSourceKind } from './certificate-source';
import { checkKeyVaultSecretId, isGuid } from './key-vault-secret-id';
import { checkPfxAtSynth } from './pfx-synth-check';
import { Secret } from './secret';
import { useReproducibleAnnotations } from '../reproducible-annotations';

export interface UploadedCertificateProps {
  /** The API Management service the certificate is uploaded to. */
  readonly apiManagement: IApiManagementService;
  /** A PFX file with its password, or a Key Vault secret. */
  readonly source: CertificateSource;
  /**
   * Base of the certificate's id in API Management (letters, digits and hyphens). For a PFX
   * file a short hash of the file is appended, so a new file is a new certificate that replaces
   * the old one create-before-destroy (see `certificateId`).
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Warn at synth when the certificate expires within this many days. An expired or
   * not-yet-valid certificate is always an error.
   * @default 30
   */
  readonly expiryWarningDays?: number;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,69}[A-Za-z0-9])?$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A PFX source as the resource and the checks need it. */
interface PfxSource {
  /** How messages name it. */
  readonly what: string;
  /** The file name, for a PFX file. */
  readonly fileName?: string;
  /** The path as messages show it (relative, no machine path), for a PFX file. */
  readonly shownPath?: string;
  /** The bytes, when available at synth. */
  readonly content?: Buffer;
  /** The resource's `data`: Terraform reads the PFX from here. */
  readonly data: string;
  /** Appended to the certificate id: changes with the content. */
  readonly idSuffix?: string;
}
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

/**
 * A certificate uploaded to API Management (`azurerm_api_management_certificate`), from a PFX
 * (a file, or base64 in a secret) checked where the app runs at synth time, or from Key Vault.
 * A PFX whose private key can be read without its password is refused; one that cannot be opened,
 * is expired or not yet valid fails synth (all of a stack's certificates are reported together).
 *
 * Rotation never breaks an apply halfway: a PFX file certificate's id carries a hash of the file,
 * so a new file creates a new certificate first (create-before-destroy), everything that
 * references it moves to the new one, and the old one, no longer in use, is deleted last.
 */
export class UploadedCertificate extends Construct implements ITrustedCertificate {
  /** The service it is uploaded to. */
  public readonly apiManagement: IApiManagementService;
  /** Its id (name) in API Management, e.g. `partner-client-3f9a1c2b`. */
  public readonly certificateId: string;
  /**
   * Upper-case SHA-1 thumbprint: a literal when the PFX was inspected at synth, else the
   * resource's `thumbprint` attribute (a Terraform token).
   */
  public readonly thumbprint: string;
  /** True for Key Vault certificates: APIM re-reads them after rotation, outside Terraform. */
  public readonly rotatesOutsideTerraform: boolean;
  /** End of validity, when inspected at synth. */
  public readonly notAfter?: Date;
  /** Subject in .NET form, when inspected at synth. */
  public readonly subject?: string;
  /** Issuer in .NET form, when inspected at synth. */
  public readonly issuer?: string;
  /** Whether the certificate is self-signed, when inspected at synth. */
  public readonly selfSigned?: boolean;
  /** The `azurerm_api_management_certificate` resource. */
  public readonly resource: ApiManagementCertificateA;

  constructor(scope: Construct, id: string, props: UploadedCertificateProps) {
    super(scope, id);
    useReproducibleAnnotations(this);
    this.apiManagement = props.apiManagement;
    const baseName = props.name ?? nameFromConstructId(id);
    if (!NAME.test(baseName)) {
      throw new ConstructConfigurationError(
        this,
        `name ${JSON.stringify(baseName)} is not a valid certificate name. Use 1-71 letters, digits and hyphens, starting and ending with a letter or digit.`,
      );
    }
    const expiryWarningDays = props.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS;
    if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 0) {
      throw new ConstructConfigurationError(this, `expiryWarningDays ${expiryWarningDays} must be a whole number of days, 0 or more.`);
    }
    const service = props.apiManagement;
    const common = { apiManagementName: service.name, resourceGroupName: service.resourceGroupName };

    if (props.source.kind === CertificateSourceKind.KEY_VAULT) {
      this.checkKeyVaultSource(props.source, service);
      this.certificateId = baseName;
      this.resource = new ApiManagementCertificateA(this, 'Certificate', {
        ...common,
        name: this.certificateId,
        keyVaultSecretId: props.source.location,
        keyVaultIdentityClientId: props.source.identityClientId,
        // A renamed certificate is still named by policies until they change: create first.
        lifecycle: { createBeforeDestroy: true },
      });
      this.rotatesOutsideTerraform = true;
      this.thumbprint = markResourceThumbprint(this.resource.thumbprint);
      writeReviewMetadata(this.resource, { kind: 'certificate', source: 'key-vault', inspected: false });
      return;
    }

    const source = props.source;
    const factory = source.kind === CertificateSourceKind.PFX_FILE ? 'CertificateSource.fromPfxFile(path' : 'CertificateSource.fromPfxSecret(secret';
    if (!(source.password instanceof Secret)) {
      throw new ConstructConfigurationError(this, `source has no password. Give one: ${factory}, { password: Secret.fromEnvironment('PARTNER_PFX_PASSWORD') }).`);
    }
    if (source.kind === CertificateSourceKind.PFX_SECRET && !(source.pfxBase64 instanceof Secret)) {
      throw new ConstructConfigurationError(this, 'CertificateSource.fromPfxSecret needs the PFX as a Secret, e.g. Secret.fromEnvironment(\'PARTNER_PFX_BASE64\').');
    }
    const password = source.password.bind(this);
    const pfx = source.kind === CertificateSourceKind.PFX_FILE ? this.pfxFile(source.location) : this.pfxSecret(source.pfxBase64!);
    const check = checkPfxAtSynth({
      what: pfx.what,
      content: pfx.content,
      contentSecret: source.pfxBase64,
      password: source.password,
      fixNames: { file: pfx.shownPath ?? 'certificate.pfx', passwordVariable: source.password.environmentVariableName ?? 'PFX_PASSWORD' },
      expiryWarningDays,
      now: Date.now(),
    });
    // Reported when the stack is synthesized, so that every certificate's problem shows at once.
    this.node.addValidation({ validate: () => [...check.errors] });
    for (const warning of check.warnings) Annotations.of(this).addWarning(warning);
    const inspection = check.inspection;
    this.certificateId = pfx.idSuffix === undefined ? baseName : `${baseName}-${pfx.idSuffix}`;
    this.resource = new ApiManagementCertificateA(this, 'Certificate', {
      ...common,
      name: this.certificateId,
      data: pfx.data,
      password,
      lifecycle: { createBeforeDestroy: true },
    });
    this.rotatesOutsideTerraform = false;
    this.thumbprint = inspection?.thumbprint ?? markResourceThumbprint(this.resource.thumbprint);
    this.notAfter = inspection?.notAfter;
    this.subject = inspection?.subject;
    this.issuer = inspection?.issuer;
    this.selfSigned = inspection?.selfSigned;
    writeReviewMetadata(this.resource, {
      kind: 'certificate',
      source: source.kind,
      fileName: pfx.fileName,
      inspected: inspection !== undefined,
      thumbprint: inspection?.thumbprint,
      subject: inspection?.subject,
      issuer: inspection?.issuer,
      notBefore: inspection?.notBefore.toISOString(),
      notAfter: inspection?.notAfter.toISOString(),
      selfSigned: inspection?.selfSigned,
    });
  }

  /**
   * A PFX file: copied next to the stack and read by Terraform with `filebase64()`, so its bytes
   * never appear in cdk.tf.json. Its id carries a hash of the file, so a new file is a new
   * certificate, created before the old one is destroyed.
   */
  private pfxFile(path: string): PfxSource {
    if (typeof path !== 'string' || path.trim() === '') {
      throw new ConstructConfigurationError(this, `source needs the path of a .pfx file, got ${JSON.stringify(path)}.`);
    }
    const content = this.readPfx(path);
    const asset = new TerraformAsset(this, 'PfxFile', { path: resolve(path), type: AssetType.FILE });
    const shown = pathForMessages(path);
    return {
      what: `PFX file ${JSON.stringify(shown)}`,
      fileName: basename(path),
      shownPath: shown,
      content,
      data: Fn.filebase64(asset.path),
      idSuffix: createHash('sha256').update(content).digest('hex').slice(0, 8),
    };
  }

  /**
   * A PFX as base64 in a secret: nothing of it is written to cdktf.out. Its id cannot depend on
   * a value that a synth without secrets does not have, so a new value updates it in place.
   */
  private pfxSecret(secret: Secret): PfxSource {
    const data = secret.bind(this);
    const what = `the PFX in ${secret.description}`;
    const value = secret.valueAtSynth();
    if (value === undefined) return { what, data };
    if (!BASE64.test(value) || value.length % 4 !== 0) {
      throw new ConstructConfigurationError(
        this,
        `${what} is not one line of base64 (${value.length} characters). Encode the .pfx file without line breaks: base64 -w0 certificate.pfx (macOS: base64 -i certificate.pfx).`,
      );
    }
    return { what, data, content: Buffer.from(value, 'base64') };
  }

  private readPfx(path: string): Buffer {
    try {
      return readFileSync(resolve(path));
    } catch (error) {
      const givenPath = JSON.stringify(path);
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConstructConfigurationError(
        this,
        code === 'ENOENT'
          ? `PFX file ${givenPath} does not exist. Check the path; a relative path is resolved from the directory cdktf runs the app in.`
          : `PFX file ${givenPath} cannot be read (${code ?? String(error)}).`,
      );
    }
  }

  private checkKeyVaultSource(source: CertificateSource, service: IApiManagementService): void {
    if (!Token.isUnresolved(source.location)) {
      const check = checkKeyVaultSecretId(source.location);
      if (check.problem) throw new ConstructConfigurationError(this, `Key Vault secret id ${JSON.stringify(source.location)} ${check.problem}.`);
      if (check.versioned) {
        Annotations.of(this).addWarning(
          `Key Vault secret id ${JSON.stringify(source.location)} names one version, so API Management will not pick up rotations. Drop the version (use versionless_secret_id).`,
        );
      }
    }
    if (source.identityClientId !== undefined && !Token.isUnresolved(source.identityClientId) && !isGuid(source.identityClientId)) {
      throw new ConstructConfigurationError(
        this,
        `identityClientId ${JSON.stringify(source.identityClientId)} is not a client id (a GUID). Use the client_id of the user-assigned identity.`,
      );
    }
    const permissions = 'allowed to Get and List secrets (role "Key Vault Secrets User", or an access policy)';
    if (source.identityClientId !== undefined) {
      Annotations.of(this).addInfo(`API Management reads the certificate with user-assigned identity ${source.identityClientId}: assign it to the service and make it ${permissions}.`);
    } else if (service instanceof ApiManagementService) {
      service.useSystemAssignedIdentity();
      Annotations.of(this).addInfo(
        `API Management ${service.node.path} reads the certificate with its system-assigned identity (enabled by this construct): make its principal id ${permissions}.`,
      );
    } else {
      Annotations.of(this).addWarning(
        `API Management service ${JSON.stringify(service.name)} must have a system-assigned identity ${permissions} on the vault, or the certificate cannot be read.`,
      );
    }
  }
}

/**
 * The path as messages show it. Warnings land in manifest.json, so an absolute path is made
 * relative to the app's directory (or cut to the file name) to keep machine paths out.
 */
function pathForMessages(path: string): string {
  if (!isAbsolute(path)) return path;
  const fromCwd = relative(process.cwd(), path);
  return fromCwd.startsWith('..') || isAbsolute(fromCwd) ? basename(path) : fromCwd;
}
