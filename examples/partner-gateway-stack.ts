import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApiManagementService, ClientCertGatedApi, ClientCertificateTrust, GateStyle } from '../src';

/**
 * A partner gateway on a Consumption service: one API admits two partners pinned by
 * thumbprint, another admits any certificate uploaded to the service.
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

    new ClientCertGatedApi(this, 'OrdersApi', {
      apiManagement: apim,
      displayName: 'Orders (partners)',
      path: 'partners/orders',
      serviceUrl: 'https://orders.internal.contoso.example/api',
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
      serviceUrl: 'https://inventory.internal.contoso.example',
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
