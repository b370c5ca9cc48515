import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import { ApiManagementCertificateA } from '@cdktf/provider-azurerm/lib/api-management-certificate';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { TerraformStack } from 'cdktf';
import {
  ApiManagementService,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertGatedApiProps,
  ClientCertificateTrust,
  MutualTlsBackend,
  UploadedCertificate,
} from '../../src';
import { Collision, CollisionKind, findCollisions, recordsOf, TerraformJson } from '../../src/stack/collisions';
import { ResourceNames } from '../../src/stack/resource-names';
import { newService, newStack, synthJson } from '../support/stack';

const TRUST = () => ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']);

function gatedApi(stack: TerraformStack, apim: ApiManagementService, id: string, props: Partial<ClientCertGatedApiProps> = {}): ClientCertGatedApi {
  return new ClientCertGatedApi(stack, id, { apiManagement: apim, displayName: id, path: id.toLowerCase(), serviceUrl: 'https://backend.example.com', trust: TRUST(), ...props });
}

function plainApi(stack: TerraformStack, id: string, values: { name: string; path: string; apiManagementName: string; versionSetId?: string; version?: string; revision?: string }) {
  return new ApiManagementApi(stack, id, { resourceGroupName: 'rg-apim', revision: values.revision ?? '1', displayName: id, protocols: ['https'], ...values });
}

const collisionsOf = (json: TerraformJson): Collision[] => {
  const records = recordsOf(json);
  return findCollisions(records, new ResourceNames(records));
};

describe('collisions fail synth naming both constructs', () => {
  test('two gated APIs with the same path, in another case', () => {
    const stack = newStack();
    const apim = newService(stack);
    gatedApi(stack, apim, 'Orders', { path: 'partners/Orders' });
    gatedApi(stack, apim, 'Legacy', { path: 'partners/orders' });
    expect(() => synthJson(stack)).toThrow(
      /\[test\] two APIs answer path "partners\/orders" on service "contoso-apim": test\/Orders\/Api \(azurerm_api_management_api\.Orders_Api_[0-9A-F]+\) and test\/Legacy\/Api \(azurerm_api_management_api\.Legacy_Api_[0-9A-F]+\)\. API Management routes a path/,
    );
  });

  test('a gated API and a plain provider API naming the service by its literal name', () => {
    const stack = newStack();
    const apim = newService(stack);
    gatedApi(stack, apim, 'Orders');
    plainApi(stack, 'Theirs', { name: 'theirs', path: 'ORDERS', apiManagementName: 'Contoso-APIM' });
    expect(() => synthJson(stack)).toThrow(/two APIs answer path "orders" on service "contoso-apim": test\/Orders\/Api .* and test\/Theirs \(azurerm_api_management_api\.Theirs\)/);
  });

  test('a path collision introduced by an override is found too', () => {
    const stack = newStack();
    const apim = newService(stack);
    gatedApi(stack, apim, 'Orders');
    gatedApi(stack, apim, 'Invoices').api.addOverride('path', 'orders');
    expect(() => synthJson(stack)).toThrow(/two APIs answer path "orders"/);
  });

  test('two certificates and two backends with one name', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const source = CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway');
    const first = new UploadedCertificate(stack, 'Gateway', { apiManagement: apim, source });
    new UploadedCertificate(stack, 'GatewayAgain', { apiManagement: apim, source, name: 'gateway' });
    new MutualTlsBackend(stack, 'Orders', { apiManagement: apim, url: 'https://orders.example.com', clientCertificate: first });
    new ApiManagementBackend(stack, 'Plain', { name: 'ORDERS', apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, protocol: 'http', url: 'https://x.example.com' });
    const message = (() => {
      try {
        synthJson(stack);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/two certificates are named "gateway" on service "contoso-apim": test\/Gateway\/Certificate .* and test\/GatewayAgain\/Certificate /);
    expect(message).toMatch(/two backends are named "orders" on service "contoso-apim": test\/Orders\/Backend .* and test\/Plain /);
  });

  test('a plain global policy next to nothing of ours is not a collision; two are', () => {
    const stack = newStack();
    const apim = newService(stack);
    new ApiManagementPolicy(stack, 'Global', { apiManagementId: apim.apiManagementId, xmlContent: '<policies />' });
    expect(() => synthJson(stack)).not.toThrow();
    new ApiManagementPolicy(stack, 'GlobalAgain', { apiManagementId: apim.resource.id, xmlContent: '<policies />' });
    expect(() => synthJson(stack)).toThrow(/two global \(all APIs\) policies are written on service "contoso-apim": test\/Global \(azurerm_api_management_policy\.Global\) and test\/GlobalAgain/);
  });
});

describe('what is not a collision', () => {
  test('the same path on two services, versions of one API, and revisions of one API', () => {
    const stack = newStack();
    gatedApi(stack, newService(stack), 'Orders');
    const other = new ApiManagementService(stack, 'Other', { name: 'other-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'C', publisherEmail: 'c@example.com', skuName: 'Developer_1' });
    gatedApi(stack, other, 'Orders2', { path: 'orders' });
    plainApi(stack, 'V1', { name: 'inv-v1', path: 'invoices', apiManagementName: 'other-apim', versionSetId: 'vs', version: 'v1' });
    plainApi(stack, 'V2', { name: 'inv-v2', path: 'invoices', apiManagementName: 'other-apim', versionSetId: 'vs', version: 'v2' });
    plainApi(stack, 'Rev1', { name: 'pay', path: 'payments', apiManagementName: 'other-apim' });
    plainApi(stack, 'Rev2', { name: 'pay', path: 'payments', apiManagementName: 'other-apim', revision: '2' });
    expect(() => synthJson(stack)).not.toThrow();
  });

  test('resources with count are left out: how many exist is decided at apply', () => {
    const stack = newStack();
    const apim = newService(stack);
    gatedApi(stack, apim, 'Orders');
    plainApi(stack, 'Maybe', { name: 'maybe', path: 'orders', apiManagementName: 'contoso-apim' }).count = 0;
    expect(() => synthJson(stack)).not.toThrow();
  });
});

describe('findCollisions on Terraform JSON', () => {
  const resource = (values: Record<string, unknown>) => values;

  test.each<[string, TerraformJson, CollisionKind, string]>([
    [
      'operation policies for one operation, API named by reference and by literal',
      {
        resource: {
          azurerm_api_management_api: { a: resource({ name: 'orders', api_management_name: 'svc', path: 'orders' }) },
          azurerm_api_management_api_operation_policy: {
            p1: resource({ api_name: '${azurerm_api_management_api.a.name}', api_management_name: 'svc', operation_id: 'get' }),
            p2: resource({ api_name: 'ORDERS', api_management_name: 'svc', operation_id: 'GET' }),
          },
        },
      },
      CollisionKind.OPERATION_POLICY,
      'orders/get',
    ],
    [
      'product policies, product named by reference and by literal',
      {
        resource: {
          azurerm_api_management_product: { p: resource({ product_id: 'partners', api_management_name: 'svc' }) },
          azurerm_api_management_product_policy: {
            a: resource({ product_id: '${azurerm_api_management_product.p.product_id}', api_management_name: 'svc' }),
            b: resource({ product_id: 'partners', api_management_name: '${azurerm_api_management_product.p.api_management_name}' }),
          },
        },
      },
      CollisionKind.PRODUCT_POLICY,
      'partners',
    ],
    [
      'global policies by data source id and literal ARM id',
      {
        data: { azurerm_api_management: { d: resource({ name: 'Svc', resource_group_name: 'rg' }) } },
        resource: {
          azurerm_api_management_policy: {
            a: resource({ api_management_id: '${data.azurerm_api_management.d.id}' }),
            b: resource({ api_management_id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc' }),
          },
        },
      },
      CollisionKind.GLOBAL_POLICY,
      'all APIs',
    ],
  ])('%s', (_label, json, kind, name) => {
    expect(collisionsOf(json)).toEqual([expect.objectContaining({ kind, name, service: 'svc' })]);
  });

  test('values only Terraform knows collide only when written identically', () => {
    const json: TerraformJson = {
      resource: {
        azurerm_api_management_certificate: {
          a: resource({ name: '${var.name}', api_management_name: 'svc' }),
          b: resource({ name: '${var.other}', api_management_name: 'svc' }),
          c: resource({ name: '${var.name}', api_management_name: 'svc' }),
        },
      },
    };
    expect(collisionsOf(json).map((c) => [c.first, c.second])).toEqual([['azurerm_api_management_certificate.a', 'azurerm_api_management_certificate.c']]);
  });

  test('an API policy written by a plain provider class on an API of ours is found', () => {
    const stack = newStack();
    const apim = newService(stack);
    const orders = gatedApi(stack, apim, 'Orders');
    new ApiManagementApiOperationPolicy(stack, 'OpPolicy', { apiName: orders.api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, operationId: 'get-all', xmlContent: '<policies />' });
    new ApiManagementApiOperationPolicy(stack, 'OpPolicy2', { apiName: 'orders', apiManagementName: 'contoso-apim', resourceGroupName: 'rg-apim', operationId: 'get-all', xmlContent: '<policies />' });
    expect(() => synthJson(stack)).toThrow(/two policies are written for operation "orders\/get-all" on service "contoso-apim": test\/OpPolicy .* and test\/OpPolicy2 /);
  });
});

test('a certificate resource of a plain provider class takes part too', () => {
  const stack = newStack();
  const apim = newService(stack, 'Developer_1');
  new UploadedCertificate(stack, 'Gateway', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway') });
  new ApiManagementCertificateA(stack, 'Theirs', { name: 'Gateway', apiManagementName: 'contoso-apim', resourceGroupName: 'rg-apim', keyVaultSecretId: 'https://x.vault.azure.net/secrets/y' });
  expect(() => synthJson(stack)).toThrow(/two certificates are named "gateway" on service "contoso-apim"/);
});
