import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApiDefinition,
  ApiManagementService,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertificateGate,
  ClientCertificateTrust,
  CustomPolicy,
  GateStyle,
  GateTarget,
  ServiceIdentity,
} from '../src';
import { INVOICES_OPENAPI } from './invoices-openapi';

/** Partners' client certificates, pinned by thumbprint (as printed by openssl or Windows). */
const PARTNER_A = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
const PARTNER_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

/**
 * A larger stack as a platform team writes it. The shared API Management service is run by
 * another team (an existing service); this stack adds:
 * - the Invoices API, imported from its OpenAPI definition, gated, with the team's own rate limit;
 * - the Partners product, gated as a whole, that the Invoices API is published in;
 * - a gate on an API another pipeline created, known only by name;
 * - an operation policy written with a plain provider class, which keeps `<base />`;
 * - a partner edge service this stack manages, with a custom domain and a gate on every API.
 */
export class PlatformTeamStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AzurermProvider(this, 'azurerm', { features: [{}] });

    const shared = ApiManagementService.fromExisting(this, 'SharedApim', {
      name: 'contoso-shared-apim',
      resourceGroupName: 'rg-shared-apim',
      skuName: 'Premium_1',
      customHostNames: ['api.contoso.com'],
    });

    const invoices = new ClientCertGatedApi(this, 'InvoicesApi', {
      apiManagement: shared,
      displayName: 'Invoices',
      path: 'partners/invoices',
      definition: ApiDefinition.openApi(JSON.stringify(INVOICES_OPENAPI, undefined, 2)),
      serviceUrl: 'https://invoices.internal.contoso.example/v1',
      trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]),
      customPolicy: CustomPolicy.fromXml(`
        <policies>
          <inbound>
            <base />
            <!-- After the gate: only admitted partners count against the limit. -->
            <rate-limit-by-key calls="600" renewal-period="60" counter-key="@(context.Request.Certificate.Thumbprint)" />
            <set-header name="X-Partner-Thumbprint" exists-action="override">
              <value>@(context.Request.Certificate.Thumbprint)</value>
            </set-header>
          </inbound>
          <outbound>
            <base />
            <set-header name="X-Powered-By" exists-action="delete" />
          </outbound>
        </policies>`),
    });

    // The product every partner subscribes to; its gate runs for calls made with its keys.
    const partners = new ApiManagementProduct(this, 'PartnersProduct', {
      productId: 'partners',
      apiManagementName: shared.name,
      resourceGroupName: shared.resourceGroupName,
      displayName: 'Partners',
      published: true,
      subscriptionRequired: true,
      approvalRequired: true,
    });
    new ClientCertificateGate(this, 'PartnersGate', {
      target: GateTarget.product(partners),
      trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]),
      gateStyle: GateStyle.EXPRESSION,
      rejectStatusCode: 403,
      rejectReason: 'Partner certificate required',
    });
    new ApiManagementProductApi(this, 'PartnersInvoices', {
      productId: partners.productId,
      apiName: invoices.api.name,
      apiManagementName: shared.name,
      resourceGroupName: shared.resourceGroupName,
    });

    // Created by the billing team's pipeline; this stack only puts its gate in front.
    new ClientCertificateGate(this, 'LegacyBillingGate', {
      target: GateTarget.apiByName(shared, 'legacy-billing'),
      trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
    });

    // Another team's operation policy, written with the provider class: it keeps <base />, so
    // the API's gate (and the product's) still runs first.
    new ApiManagementApiOperationPolicy(this, 'GetInvoiceCaching', {
      apiName: invoices.api.name,
      apiManagementName: shared.name,
      resourceGroupName: shared.resourceGroupName,
      operationId: 'get-invoice',
      xmlContent: [
        '<policies>',
        '  <inbound>',
        '    <base />',
        '    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />',
        '  </inbound>',
        '  <backend>',
        '    <base />',
        '  </backend>',
        '  <outbound>',
        '    <base />',
        '    <cache-store duration="60" />',
        '  </outbound>',
        '  <on-error>',
        '    <base />',
        '  </on-error>',
        '</policies>',
        '',
      ].join('\n'),
    });

    // A service this stack manages (custom domains of the shared one belong to its owner).
    const edge = new ApiManagementService(this, 'PartnerEdge', {
      name: 'contoso-partner-edge',
      resourceGroupName: 'rg-partner-edge',
      location: 'westeurope',
      publisherName: 'Contoso Platform Team',
      publisherEmail: 'platform@contoso.example',
      skuName: 'Developer_1',
      tags: { owner: 'platform-team', 'cost-center': 'cc-4711' },
      identity: ServiceIdentity.systemAssigned(),
      customDomains: [
        {
          hostName: 'partners.contoso.com',
          certificate: CertificateSource.fromKeyVaultSecret('https://contoso-edge-tls.vault.azure.net/secrets/partners-contoso-com'),
        },
      ],
    });
    new ClientCertificateGate(this, 'EdgeGate', {
      target: GateTarget.service(edge),
      trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]),
    });
    new ClientCertGatedApi(this, 'StatusApi', {
      apiManagement: edge,
      displayName: 'Partner status',
      path: 'status',
      serviceUrl: 'https://status.internal.contoso.example',
      trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]),
    });
  }
}
