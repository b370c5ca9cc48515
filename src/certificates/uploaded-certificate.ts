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
import { inspectPfx, PfxInspection, PfxInspectionError } from './pfx-inspection';
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
const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

/**
 * A certificate uploaded to API Management (`azurerm_api_management_certificate`), from a PFX
 * file checked on the developer's machine at synth time, or from Key Vault.
 *
 * Rotation never breaks an apply halfway: a PFX certificate's id carries a hash of the file, so
 * a new file creates a new certificate first (create-before-destroy), everything that references
 * it moves to the new one, and the old one, no longer in use, is deleted last.
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

    if (props.source.kind === CertificateSourceKind.PFX_FILE) {
      const { content, displayPath } = this.readPfx(props.source.location);
      const inspection = this.inspect(props.source, content, displayPath, expiryWarningDays);
      const asset = new TerraformAsset(this, 'PfxFile', { path: resolve(props.source.location), type: AssetType.FILE });
      this.certificateId = `${baseName}-${createHash('sha256').update(content).digest('hex').slice(0, 8)}`;
      this.resource = new ApiManagementCertificateA(this, 'Certificate', {
        ...common,
        name: this.certificateId,
        // Terraform reads the file itself: the PFX bytes never appear in cdk.tf.json.
        data: Fn.filebase64(asset.path),
        password: props.source.password!.bind(this),
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
        source: 'pfx-file',
        fileName: basename(props.source.location),
        inspected: inspection !== undefined,
        thumbprint: inspection?.thumbprint,
        subject: inspection?.subject,
        issuer: inspection?.issuer,
        notBefore: inspection?.notBefore.toISOString(),
        notAfter: inspection?.notAfter.toISOString(),
        selfSigned: inspection?.selfSigned,
      });
    } else {
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
    }
  }

  private readPfx(path: string): { content: Buffer; displayPath: string } {
    // Errors stop synth and show the path as given; warnings land in manifest.json.
    const displayPath = JSON.stringify(pathForMessages(path));
    try {
      return { content: readFileSync(resolve(path)), displayPath };
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

  private inspect(source: CertificateSource, content: Buffer, displayPath: string, expiryWarningDays: number): PfxInspection | undefined {
    const password = source.password!.valueAtSynth();
    if (password === undefined) {
      Annotations.of(this).addWarning(
        `PFX file ${displayPath} was not inspected: its password (${source.password!.description}) is not available at synth. ` +
          'The thumbprint comes from the uploaded certificate at deploy time, and expiry, key and password are not checked before then.',
      );
      return undefined;
    }
    let inspection: PfxInspection;
    try {
      inspection = inspectPfx(content, password);
    } catch (error) {
      if (error instanceof PfxInspectionError) {
        const fix = error.problem === 'wrong-password' ? ` Check ${source.password!.description}.` : '';
        throw new ConstructConfigurationError(this, `PFX file ${displayPath} ${error.message}.${fix}`);
      }
      throw error;
    }
    const now = Date.now();
    const describe = `PFX file ${displayPath} (${inspection.subject}, thumbprint ${inspection.thumbprint})`;
    if (inspection.notAfter.getTime() <= now) {
      throw new ConstructConfigurationError(this, `${describe} expired on ${inspection.notAfter.toISOString()}. Renew it and point the construct at the new file.`);
    }
    if (inspection.notBefore.getTime() > now) {
      throw new ConstructConfigurationError(this, `${describe} is not valid before ${inspection.notBefore.toISOString()}. Check the issuing CA's clock or wait until then.`);
    }
    const daysLeft = Math.floor((inspection.notAfter.getTime() - now) / DAY_MS);
    if (daysLeft < expiryWarningDays) {
      // No day count in the text: warnings land in manifest.json, which must not change daily.
      Annotations.of(this).addWarning(
        `${describe} expires on ${inspection.notAfter.toISOString()}, within expiryWarningDays (${expiryWarningDays}). Renew it soon.`,
      );
    }
    return inspection;
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
