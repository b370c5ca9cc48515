import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApiManagementService,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertificateTrust,
  GateStyle,
  MutualTlsBackend,
  UploadedCertificate,
} from '../src';

/**
 * A partner gateway on a Consumption service: one API admits two partners pinned by
 * thumbprint and calls its backend with mutual TLS; another admits any certificate uploaded to
 * the service and calls a legacy backend whose server certificate is self-signed.
 */
export class PartnerGatewayStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // A relative state path keeps the machine's checkout path out of the synthesized JSON.
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AzurermProvider(this, 'azurerm', { features: [{}] });

    const group = new ResourceGroup(this, 'Group', { name: 'rg-partner-gateway', location: 'westeurope' });
    const apim = new ApiManagementService(this, 'Apim', {
      name: 'contoso-partner-gateway',
      resourceGroupName: group.name,
      location: group.location,
      publisherName: 'Contoso Platform Team',
      publisherEmail: 'platform@contoso.example',
      skuName: 'Consumption_0',
    });

    // The certificate APIM presents to backends, kept in Key Vault and rotated there.
    const gatewayClientCertificate = new UploadedCertificate(this, 'GatewayClientCertificate', {
      apiManagement: apim,
      source: CertificateSource.fromKeyVaultSecret('https://contoso-gateway-kv.vault.azure.net/secrets/gateway-client'),
    });
    const ordersBackend = new MutualTlsBackend(this, 'OrdersBackend', {
      apiManagement: apim,
      url: 'https://orders.internal.contoso.example/api',
      clientCertificate: gatewayClientCertificate,
      description: 'Orders service, requires the gateway client certificate',
    });
    // Self-signed server certificate: chain and name validation off, which synth warns about.
    const legacyInventoryBackend = new MutualTlsBackend(this, 'LegacyInventoryBackend', {
      apiManagement: apim,
      url: 'https://inventory-legacy.internal.contoso.example',
      clientCertificate: gatewayClientCertificate,
      validateCertificateChain: false,
      validateCertificateName: false,
    });

    new ClientCertGatedApi(this, 'OrdersApi', {
      apiManagement: apim,
      displayName: 'Orders (partners)',
      path: 'partners/orders',
      backend: ordersBackend,
      trust: ClientCertificateTrust.thumbprints([
        // Partner A, pasted from the Windows certificate dialog (lower case, spaces).
        '3b 7e 0b 4a 0f 1c 4e 7a 9d 2f 11 5e 6c 8a 3d 9b 0e 4f 1a 2c',
        // Partner B, as printed by openssl (colons).
        'A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4',
      ]),
    });

    new ClientCertGatedApi(this, 'InventoryApi', {
      apiManagement: apim,
      displayName: 'Inventory (uploaded certificates)',
      path: 'partners/inventory',
      backend: legacyInventoryBackend,
      trust: ClientCertificateTrust.uploadedCertificates(),
      gateStyle: GateStyle.EXPRESSION,
      rejectStatusCode: 403,
      rejectReason: 'Client certificate not accepted',
    });
  }
}

export function buildExampleStacks(app: Construct): void {
  new PartnerGatewayStack(app, 'partner-gateway');
}
