import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import {
  ApiManagementService,
  CaCertificate,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertificateTrust,
  clientCertificateGate,
  GateStyle,
  MutualTlsBackend,
  PolicyDocument,
  Secret,
  UploadedCertificate,
} from '../../../src';
import { writePfx } from '../../support/pfx';
import { issueCertificate, TestCertificate } from '../../support/x509';

/*
 * The base of the adversarial suite: a realistic gateway of two services, the way a platform
 * team writes it with this library and a few plain provider classes.
 *
 * - `contoso-edge` (Consumption): /orders pins partner A by thumbprint (validate-client-certificate)
 *   and calls its backend with mutual TLS, presenting a Key Vault certificate; /partners trusts a
 *   Key Vault partner certificate by id (expression gate). /orders is in product `partners`,
 *   whose policy checks partner A again; GET /orders/{id} has its own policy; a service-wide
 *   policy adds a header.
 * - `contoso-core` (Developer): a private root CA uploaded for chain validation; /inventory
 *   trusts a PFX certificate issued by that CA with a chain check; /reports trusts any uploaded
 *   certificate.
 */

export const PARTNER_A = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
export const PARTNER_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
export const ATTACKER = 'BADBADBADBADBADBADBADBADBADBADBADBADBAD0';
export const PFX_PASSWORD_ENV = 'ADVERSARIAL_PFX_PASSWORD';
export const PFX_PASSWORD = 'adversarial-password';

export interface Pki {
  readonly root: TestCertificate;
  readonly partner: TestCertificate;
  /** The partner's PFX. */
  readonly partnerPfx: string;
  /** A renewed partner certificate: same subject and issuer, another key. */
  readonly renewedPfx: string;
  /** A certificate with another subject from the same CA. */
  readonly strangerPfx: string;
}

let pki: Pki | undefined;

/** Created once: key generation is the slow part. */
export function adversarialPki(): Pki {
  if (pki) return pki;
  const now = Date.now();
  const root = issueCertificate({ subject: 'CN=Contoso Partner Root, O=Contoso', ca: true, notBefore: new Date(now - 86400000), notAfter: new Date(now + 5 * 365 * 86400000) });
  const issue = (subject: string) => issueCertificate({ subject, issuer: root, notBefore: new Date(now - 86400000), notAfter: new Date(now + 365 * 86400000) });
  const partner = issue('CN=inventory-partner, O=Fabrikam');
  pki = {
    root,
    partner,
    partnerPfx: writePfx(partner, { password: PFX_PASSWORD }),
    renewedPfx: writePfx(issue('CN=inventory-partner, O=Fabrikam'), { password: PFX_PASSWORD }),
    strangerPfx: writePfx(issue('CN=somebody-else, O=Elsewhere'), { password: PFX_PASSWORD }),
  };
  return pki;
}

/** What a head can change in the constructs themselves. */
export interface BaseOptions {
  readonly ordersThumbprints?: string[];
  readonly ordersCheckValidity?: boolean;
  readonly ordersConstructId?: string;
  readonly partnersTrustUploaded?: boolean;
  readonly partnersServiceUrl?: string;
  readonly backendUrl?: string;
  readonly backendValidateChain?: boolean;
  readonly inventoryPfx?: string;
  readonly inventoryVerifyChain?: boolean;
  readonly reportsTrustsPartnerOnly?: boolean;
  readonly extraCoreCertificate?: boolean;
}

/** The resources a head changes with plain provider classes or escape hatches. */
export interface Base {
  readonly stack: TerraformStack;
  readonly edge: ApiManagementService;
  readonly core: ApiManagementService;
  readonly orders: ClientCertGatedApi;
  readonly partners: ClientCertGatedApi;
  readonly inventory: ClientCertGatedApi;
  readonly reports: ClientCertGatedApi;
  readonly backend: MutualTlsBackend;
  readonly inventoryPartner: UploadedCertificate;
  readonly product: ApiManagementProduct;
  readonly productPolicy: ApiManagementProductPolicy;
  readonly globalPolicy: ApiManagementPolicy;
  readonly orderById: ApiManagementApiOperation;
  readonly orderByIdPolicy: ApiManagementApiOperationPolicy;
}

export const STACK = 'gateway';

export function buildBase(app: App, options: BaseOptions = {}): Base {
  const p = adversarialPki();
  const stack = new TerraformStack(app, STACK);
  new LocalBackend(stack, { path: `terraform.${STACK}.tfstate` });
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const common = { resourceGroupName: 'rg-gateway', location: 'westeurope', publisherName: 'Contoso', publisherEmail: 'platform@contoso.example' };

  const edge = new ApiManagementService(stack, 'Edge', { ...common, name: 'contoso-edge', skuName: 'Consumption_0' });
  const core = new ApiManagementService(stack, 'Core', { ...common, name: 'contoso-core', skuName: 'Developer_1', caCertificates: [CaCertificate.fromPem(p.root.pem)] });

  const gatewayClient = new UploadedCertificate(stack, 'GatewayClient', {
    apiManagement: edge,
    source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway-client'),
  });
  const partnerKv = new UploadedCertificate(stack, 'PartnerKv', {
    apiManagement: edge,
    source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/partner-b'),
  });
  const backend = new MutualTlsBackend(stack, 'OrdersBackend', {
    apiManagement: edge,
    url: options.backendUrl ?? 'https://orders.internal.contoso.example',
    clientCertificate: gatewayClient,
    validateCertificateChain: options.backendValidateChain,
  });
  const orders = new ClientCertGatedApi(stack, options.ordersConstructId ?? 'OrdersApi', {
    apiManagement: edge,
    displayName: 'Orders',
    path: 'orders',
    backend,
    trust: ClientCertificateTrust.thumbprints(options.ordersThumbprints ?? [PARTNER_A, PARTNER_B]),
    checkValidityPeriod: options.ordersCheckValidity,
  });
  const partners = new ClientCertGatedApi(stack, 'PartnersApi', {
    apiManagement: edge,
    displayName: 'Partners',
    path: 'partners',
    serviceUrl: options.partnersServiceUrl ?? 'https://partners.internal.contoso.example',
    trust: options.partnersTrustUploaded ? ClientCertificateTrust.uploadedCertificates() : ClientCertificateTrust.certificates([partnerKv]),
    gateStyle: GateStyle.EXPRESSION,
    rejectStatusCode: 403,
    rejectReason: 'Not a partner',
  });

  // A product with its own gate, written with the plain provider classes.
  const product = new ApiManagementProduct(stack, 'PartnersProduct', {
    productId: 'partners',
    apiManagementName: edge.name,
    resourceGroupName: edge.resourceGroupName,
    displayName: 'Partners',
    published: true,
    subscriptionRequired: true,
  });
  new ApiManagementProductApi(stack, 'PartnersProductOrders', {
    productId: product.productId,
    apiName: orders.api.name,
    apiManagementName: edge.name,
    resourceGroupName: edge.resourceGroupName,
  });
  const productPolicy = new ApiManagementProductPolicy(stack, 'PartnersProductPolicy', {
    productId: product.productId,
    apiManagementName: edge.name,
    resourceGroupName: edge.resourceGroupName,
    xmlContent: new PolicyDocument({ inbound: [clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([PARTNER_A]) })] }).render(),
  });
  const globalPolicy = new ApiManagementPolicy(stack, 'EdgePolicy', {
    apiManagementId: edge.resource.id,
    xmlContent: '<policies>\n  <inbound>\n    <set-header name="X-Gateway" exists-action="override">\n      <value>edge</value>\n    </set-header>\n  </inbound>\n  <backend>\n    <forward-request />\n  </backend>\n  <outbound />\n  <on-error />\n</policies>\n',
  });
  // An operation of its own, with a policy that keeps <base />.
  const orderById = new ApiManagementApiOperation(stack, 'OrderById', {
    operationId: 'get-order',
    apiName: orders.api.name,
    apiManagementName: edge.name,
    resourceGroupName: edge.resourceGroupName,
    displayName: 'Get one order',
    method: 'GET',
    urlTemplate: '/orders/{id}',
    templateParameter: [{ name: 'id', required: true, type: 'string' }],
    dependsOn: [orders.policy],
  });
  const orderByIdPolicy = new ApiManagementApiOperationPolicy(stack, 'OrderByIdPolicy', {
    apiName: orders.api.name,
    apiManagementName: edge.name,
    resourceGroupName: edge.resourceGroupName,
    operationId: orderById.operationId,
    xmlContent: '<policies>\n  <inbound>\n    <base />\n    <set-header name="X-Operation" exists-action="override">\n      <value>get-order</value>\n    </set-header>\n  </inbound>\n  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n</policies>\n',
  });

  const inventoryPartner = new UploadedCertificate(stack, 'InventoryPartner', {
    apiManagement: core,
    source: CertificateSource.fromPfxFile(options.inventoryPfx ?? p.partnerPfx, { password: Secret.fromEnvironment(PFX_PASSWORD_ENV) }),
  });
  if (options.extraCoreCertificate) {
    new UploadedCertificate(stack, 'Contractor', { apiManagement: core, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/contractor') });
  }
  const inventory = new ClientCertGatedApi(stack, 'InventoryApi', {
    apiManagement: core,
    displayName: 'Inventory',
    path: 'inventory',
    serviceUrl: 'https://inventory.internal.contoso.example',
    trust: ClientCertificateTrust.certificates([inventoryPartner]),
    verifyChain: options.inventoryVerifyChain ?? true,
    checkRevocation: false,
  });
  const reports = new ClientCertGatedApi(stack, 'ReportsApi', {
    apiManagement: core,
    displayName: 'Reports',
    path: 'reports',
    serviceUrl: 'https://reports.internal.contoso.example',
    trust: options.reportsTrustsPartnerOnly ? ClientCertificateTrust.certificates([inventoryPartner]) : ClientCertificateTrust.uploadedCertificates(),
  });
  return { stack, edge, core, orders, partners, inventory, reports, backend, inventoryPartner, product, productPolicy, globalPolicy, orderById, orderByIdPolicy };
}
