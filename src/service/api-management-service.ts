import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiManagement, ApiManagementHostnameConfiguration, ApiManagementHostnameConfigurationProxy } from '@cdktf/provider-azurerm/lib/api-management';
import { DataAzurermApiManagement } from '@cdktf/provider-azurerm/lib/data-azurerm-api-management';
import { Annotations, AssetType, Fn, TerraformAsset, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { attributeErrorsTo, ConstructConfigurationError } from '../construct-error';
import { writeReviewMetadata } from '../review/review-metadata';
import { AzapiUpdateResource } from './azapi';
import { CaCertificate } from './ca-certificate';
import { CertificateSource, CertificateSourceKind } from '../certificates/certificate-source';
import { checkKeyVaultSecretId } from '../certificates/key-vault-secret-id';
import { customHostNamesProblem, GatewayCustomDomain } from './gateway-custom-domain';
import { ServiceIdentity, withSystemAssigned } from './service-identity';
import { ClientCertificateNegotiation, manualNegotiationInstructions, ParsedSku, parseSku } from './sku';
import { useReproducibleAnnotations } from '../reproducible-annotations';
import { StackAudit } from '../stack/stack-audit';

/** An API Management service our constructs attach APIs, certificates and backends to. */
export interface IApiManagementService extends IConstruct {
  /** The service name (`<name>.azure-api.net`); a reference to the resource when this stack manages it. */
  readonly name: string;
  readonly resourceGroupName: string;
  /** The azurerm `sku_name`, when known. */
  readonly skuName?: string;
  /** The default gateway hostname, `<name>.azure-api.net`. */
  readonly gatewayHostName: string;
  /**
   * The service's ARM resource id, which keys its global policy (`api_management_id`). A
   * reference to the resource when this stack manages it.
   */
  readonly apiManagementId: string;
}

export interface ApiManagementServiceProps {
  /** Service name: 1-50 letters, digits and hyphens, starting with a letter; globally unique. */
  readonly name: string;
  /** Resource group the service is created in. */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** Organization name shown in the developer portal and notification emails. */
  readonly publisherName: string;
  /** Email address that receives system notifications. */
  readonly publisherEmail: string;
  /**
   * `<tier>_<capacity>`: `Consumption_0`, `Developer_1`, `Basic_1`, `Standard_1`, `Premium_1`,
   * `BasicV2_1`, `StandardV2_1`, `PremiumV2_1`. Decides how the service is made to ask callers
   * for a client certificate: `client_certificate_enabled` on Consumption,
   * `negotiate_client_certificate` on every gateway host name of the classic tiers, and an azapi
   * patch of `enableClientCertificate` on v2 tiers, which azurerm cannot set.
   */
  readonly skuName: string;
  /**
   * CA certificates (roots and intermediates) that client certificate chains are validated
   * against (`verifyChain`). At most 10; not available on Consumption.
   * @default - none
   */
  readonly caCertificates?: CaCertificate[];
  /**
   * Custom host names of the gateway, each with its TLS certificate. Each is made to ask callers
   * for a client certificate the way the SKU needs: on classic tiers `negotiate_client_certificate`
   * on its proxy block (the default host's block is always declared too); on Consumption and v2
   * the service-wide setting covers every host. Several host names only on Developer and Premium.
   * @default - none: only `<name>.azure-api.net`
   */
  readonly customDomains?: GatewayCustomDomain[];
  /**
   * Managed identities of the service. A Key Vault certificate used by this library (a custom
   * domain or an uploaded certificate without `identityClientId`) adds the system-assigned one.
   * @default - none, or system-assigned when a Key Vault certificate needs it
   */
  readonly identity?: ServiceIdentity;
  /**
   * Tags of the service resource.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** The most CA certificates the `certificate` block of `azurerm_api_management` takes. */
export const MAX_CA_CERTIFICATES = 10;
/** ARM API version used to patch v2 tiers; the first stable one with v2 SKUs. */
export const APIM_ARM_TYPE = 'Microsoft.ApiManagement/service@2024-05-01';
const SERVICE_NAME = /^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/;
const ARM_SERVICE_ID = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)$/i;

/**
 * An API Management service that asks callers for their client certificate the way its SKU
 * needs (see `ClientCertificateNegotiation`). Without that, `context.Request.Certificate` is always null and every
 * client-certificate gate rejects every caller.
 */
export class ApiManagementService extends Construct implements IApiManagementService {
  /** An existing service managed elsewhere. A synth warning says what must be enabled on it by hand. */
  public static fromExisting(scope: Construct, id: string, attrs: ExistingApiManagementServiceAttributes): IApiManagementService {
    return new ExistingApiManagementService(scope, id, attrs);
  }

  public readonly name: string;
  public readonly resourceGroupName: string;
  public readonly skuName: string;
  public readonly gatewayHostName: string;
  public readonly apiManagementId: string;
  /** CA certificates uploaded for client certificate chain validation. */
  public readonly caCertificates: readonly CaCertificate[];
  /** The azurerm service resource. */
  public readonly resource: ApiManagement;
  /** The azapi patch that turns on client certificates for v2 tiers, when the SKU needs it. */
  public readonly clientCertificateSetting?: AzapiUpdateResource;

  constructor(scope: Construct, id: string, props: ApiManagementServiceProps) {
    super(scope, id);
    useReproducibleAnnotations(this);
    // Every stack with a service gets the stack checks (collisions among its resources).
    StackAudit.of(this);
    const sku = attributeErrorsTo(this, () => parseSku(props.skuName));
    if (!Token.isUnresolved(props.name) && !SERVICE_NAME.test(props.name)) {
      throw new ConstructConfigurationError(
        this,
        `name ${JSON.stringify(props.name)} is not a valid API Management service name. Use 1-50 letters, digits and hyphens, starting with a letter and not ending with a hyphen.`,
      );
    }
    const caCertificates = props.caCertificates ?? [];
    if (caCertificates.length > 0 && sku.negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG) {
      throw new ConstructConfigurationError(
        this,
        `caCertificates cannot be uploaded to a Consumption service (${props.skuName}). Pin client certificates by thumbprint without verifyChain, or use a Developer, Basic, Standard or Premium SKU.`,
      );
    }
    if (caCertificates.length > MAX_CA_CERTIFICATES) {
      throw new ConstructConfigurationError(
        this,
        `caCertificates has ${caCertificates.length} entries; API Management takes at most ${MAX_CA_CERTIFICATES}. Upload only the roots and intermediates that issue your client certificates.`,
      );
    }

    const customDomains = props.customDomains ?? [];
    const hostProblem = customHostNamesProblem(customDomains.map((domain) => domain.hostName), sku);
    if (hostProblem) throw new ConstructConfigurationError(this, `customDomains: ${hostProblem}.`);
    const identityProblem = props.identity?.problem();
    if (identityProblem) throw new ConstructConfigurationError(this, `${identityProblem}.`);

    this.skuName = props.skuName;
    this.gatewayHostName = `${props.name}.azure-api.net`;
    this.caCertificates = caCertificates;

    this.resource = new ApiManagement(this, 'Service', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      publisherName: props.publisherName,
      publisherEmail: props.publisherEmail,
      skuName: props.skuName,
      // azurerm allows this flag only on Consumption; classic tiers reject false, so leave it unset there.
      clientCertificateEnabled: sku.negotiation === ClientCertificateNegotiation.CONSUMPTION_FLAG ? true : undefined,
      identity: props.identity ? { type: props.identity.kind, identityIds: props.identity.identityIds.length > 0 ? [...props.identity.identityIds] : undefined } : undefined,
      tags: props.tags,
      certificate: caCertificates.length
        ? caCertificates.map((ca) => ({ encodedCertificate: ca.encodedCertificate, storeName: ca.store }))
        : undefined,
      // On v2 azurerm reads back the azapi-set true against its default false and would turn
      // client certificates off again on the next apply.
      lifecycle:
        sku.negotiation === ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE
          ? { ignoreChanges: ['client_certificate_enabled'] }
          : undefined,
    });

    const hostnameConfiguration = this.hostnameConfiguration(sku, customDomains);
    if (hostnameConfiguration) this.resource.putHostnameConfiguration(hostnameConfiguration);
    writeReviewMetadata(this.resource, { kind: 'service', clientCertificateNegotiation: sku.negotiation });
    StackAudit.of(this).addService({
      construct: this,
      resource: this.resource,
      negotiation: sku.negotiation,
      hostNames: [this.gatewayHostName, ...customDomains.map((domain) => domain.hostName)].filter((host) => !Token.isUnresolved(host)),
    });

    if (sku.negotiation === ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE) {
      this.clientCertificateSetting = new AzapiUpdateResource(this, 'ClientCertificates', {
        type: APIM_ARM_TYPE,
        resourceId: this.resource.id,
        body: { properties: { enableClientCertificate: true } },
      });
    }
    // References, not literals, so everything attached to the service depends on it.
    this.name = this.resource.name;
    this.resourceGroupName = this.resource.resourceGroupName;
    this.apiManagementId = this.resource.id;
  }

  /**
   * Gives the service a system-assigned managed identity (idempotent), e.g. to read Key Vault
   * certificates, and returns its principal id for role assignments or access policies.
   */
  public useSystemAssignedIdentity(): string {
    const current = this.resource.identityInput;
    const type = withSystemAssigned(current?.type);
    if (current?.type !== type) {
      if (current) {
        Annotations.of(this).addInfo(`identity becomes "${type}": a Key Vault certificate is read with the service's system-assigned identity.`);
      }
      this.resource.putIdentity({ type, identityIds: current?.identityIds });
    }
    return this.resource.identity.principalId;
  }

  /**
   * The proxy (gateway) host names: on classic tiers each negotiates client certificates, and the
   * default host's block is declared whenever any is, or the plan never settles (azurerm #20958).
   */
  private hostnameConfiguration(sku: ParsedSku, customDomains: readonly GatewayCustomDomain[]): ApiManagementHostnameConfiguration | undefined {
    const negotiate = sku.negotiation === ClientCertificateNegotiation.HOSTNAME_NEGOTIATION ? true : undefined;
    if (customDomains.length === 0 && !negotiate) return undefined;
    return {
      proxy: [
        { hostName: this.gatewayHostName, negotiateClientCertificate: negotiate },
        ...customDomains.map((domain) => ({
          hostName: domain.hostName,
          negotiateClientCertificate: negotiate,
          defaultSslBinding: domain.defaultSslBinding,
          ...this.hostCertificate(domain),
        })),
      ],
    };
  }

  /** The certificate attributes of a custom host: a Key Vault reference, or the PFX read by Terraform. */
  private hostCertificate(domain: GatewayCustomDomain): Partial<ApiManagementHostnameConfigurationProxy> {
    const source = domain.certificate;
    const what = `customDomains ${JSON.stringify(domain.hostName)}`;
    if (!(source instanceof CertificateSource)) {
      throw new ConstructConfigurationError(this, `${what} has no certificate. Give CertificateSource.fromKeyVaultSecret(...) or CertificateSource.fromPfxFile(...).`);
    }
    if (source.kind === CertificateSourceKind.KEY_VAULT) {
      if (!Token.isUnresolved(source.location)) {
        const check = checkKeyVaultSecretId(source.location);
        if (check.problem) throw new ConstructConfigurationError(this, `${what}: Key Vault secret id ${JSON.stringify(source.location)} ${check.problem}.`);
        if (check.versioned) {
          Annotations.of(this).addWarning(`${what}: Key Vault secret id ${JSON.stringify(source.location)} names one version, so the gateway will not pick up renewals. Drop the version.`);
        }
      }
      if (source.identityClientId === undefined) this.useSystemAssignedIdentity();
      return { keyVaultCertificateId: source.location, sslKeyvaultIdentityClientId: source.identityClientId };
    }
    if (source.kind === CertificateSourceKind.PFX_FILE) {
      const path = resolve(source.location);
      if (!existsSync(path)) {
        throw new ConstructConfigurationError(this, `${what}: PFX file ${JSON.stringify(source.location)} does not exist. Check the path; a relative path is resolved from the directory cdktf runs the app in.`);
      }
      const asset = new TerraformAsset(this, `Pfx-${domain.hostName.replace(/[^A-Za-z0-9-]/g, '-')}`, { path, type: AssetType.FILE });
      // Terraform reads the file itself: the PFX bytes never appear in cdk.tf.json.
      return { certificate: Fn.filebase64(asset.path), certificatePassword: source.password!.bind(this) };
    }
    throw new ConstructConfigurationError(this, `${what}: this certificate source cannot serve a custom domain. Use CertificateSource.fromKeyVaultSecret(...) or CertificateSource.fromPfxFile(...).`);
  }
}

export interface ExistingApiManagementServiceAttributes {
  /** The service name. */
  readonly name: string;
  /** Its resource group. */
  readonly resourceGroupName: string;
  /**
   * Its `sku_name`, so the synth warning can say exactly what to enable.
   * @default - unknown; the warning lists every tier
   */
  readonly skuName?: string;
  /**
   * Its ARM resource id (`/subscriptions/…/resourceGroups/<rg>/providers/Microsoft.ApiManagement/service/<name>`),
   * needed only for a gate on the whole service (its global policy).
   * @default - looked up by name with a `data "azurerm_api_management"` when first needed
   */
  readonly resourceId?: string;
  /**
   * Custom host names of its gateway (e.g. `api.contoso.com`), so the synth warning says what to
   * enable on each of them. Custom domains of a service managed elsewhere are not changed here:
   * azurerm manages them on the service resource (or with `azurerm_api_management_custom_domain`,
   * which takes them all), so setting them from this stack would fight its owner.
   * @default - none: only `<name>.azure-api.net`
   */
  readonly customHostNames?: string[];
}

class ExistingApiManagementService extends Construct implements IApiManagementService {
  public readonly name: string;
  public readonly resourceGroupName: string;
  public readonly skuName?: string;
  public readonly gatewayHostName: string;
  private readonly givenResourceId?: string;
  private lookup?: DataAzurermApiManagement;

  /** The given id, or the id of a data source that reads the service (created on first use). */
  public get apiManagementId(): string {
    if (this.givenResourceId !== undefined) return this.givenResourceId;
    this.lookup ??= new DataAzurermApiManagement(this, 'Lookup', { name: this.name, resourceGroupName: this.resourceGroupName });
    return this.lookup.id;
  }

  constructor(scope: Construct, id: string, attrs: ExistingApiManagementServiceAttributes) {
    super(scope, id);
    useReproducibleAnnotations(this);
    StackAudit.of(this);
    const sku = attrs.skuName === undefined ? undefined : attributeErrorsTo(this, () => parseSku(attrs.skuName!));
    this.name = attrs.name;
    this.resourceGroupName = attrs.resourceGroupName;
    this.skuName = attrs.skuName;
    this.gatewayHostName = `${attrs.name}.azure-api.net`;
    if (attrs.resourceId !== undefined) this.checkResourceId(attrs);
    this.givenResourceId = attrs.resourceId;
    const customHostNames = attrs.customHostNames ?? [];
    const hostProblem = customHostNamesProblem(customHostNames, sku);
    if (hostProblem) throw new ConstructConfigurationError(this, `customHostNames: ${hostProblem}.`);
    const hostNames = customHostNames.length > 0 ? [this.gatewayHostName, ...customHostNames] : [];
    Annotations.of(this).addWarning(
      `API Management service "${attrs.name}" is not managed by this stack, so client certificates are not turned on for it here. ` +
        `On the service, ${manualNegotiationInstructions(sku?.negotiation, hostNames)}; without it every caller of a client-certificate gated API is rejected.`,
    );
  }

  private checkResourceId(attrs: ExistingApiManagementServiceAttributes): void {
    const id = attrs.resourceId!;
    if (Token.isUnresolved(id)) return;
    const match = ARM_SERVICE_ID.exec(id);
    const sameService =
      match !== null &&
      (Token.isUnresolved(attrs.name) || match[2].toLowerCase() === attrs.name.toLowerCase()) &&
      (Token.isUnresolved(attrs.resourceGroupName) || match[1].toLowerCase() === attrs.resourceGroupName.toLowerCase());
    if (!sameService) {
      throw new ConstructConfigurationError(
        this,
        `resourceId ${JSON.stringify(id)} is not the id of service "${attrs.name}" in resource group "${attrs.resourceGroupName}". ` +
          `Use /subscriptions/<subscription id>/resourceGroups/${attrs.resourceGroupName}/providers/Microsoft.ApiManagement/service/${attrs.name}, or leave it out to look it up.`,
      );
    }
  }

}
