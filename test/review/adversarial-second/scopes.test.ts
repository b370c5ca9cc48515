import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementApiVersionSet } from '@cdktf/provider-azurerm/lib/api-management-api-version-set';
import { ApiManagementPolicy } from '@cdktf/provider-azurerm/lib/api-management-policy';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { ApiManagementProductPolicy } from '@cdktf/provider-azurerm/lib/api-management-product-policy';
import { DataAzurermApiManagement } from '@cdktf/provider-azurerm/lib/data-azurerm-api-management';
import { Base } from '../adversarial/base-stack';
import { Attempt, Outcome, runAttempts } from './harness';

/*
 * Scopes and routes: products (with and without <base />, open or protected), revisions,
 * versions, the same path elsewhere, operations overlapping the catch-all, unusual methods, and
 * policies attached by name in other spellings.
 */

const ANSWER = '<return-response><set-status code="200" reason="OK" /></return-response>';
const HEADER_ONLY = '<policies><inbound><set-header name="X-Tier" exists-action="override"><value>gold</value></set-header></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>';
const OPEN = '<policies><inbound><set-backend-service base-url="https://orders.internal.contoso.example" /></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>';

function product(b: Base, id: string, productId: string, apiName: string, options: { subscriptionRequired?: boolean; policy?: string } = {}): ApiManagementProduct {
  const created = new ApiManagementProduct(b.stack, id, {
    productId,
    apiManagementName: b.edge.name,
    resourceGroupName: b.edge.resourceGroupName,
    displayName: productId,
    published: true,
    subscriptionRequired: options.subscriptionRequired ?? true,
  });
  new ApiManagementProductApi(b.stack, `${id}Link`, { productId: created.productId, apiName, apiManagementName: b.edge.name, resourceGroupName: b.edge.resourceGroupName });
  if (options.policy !== undefined) {
    new ApiManagementProductPolicy(b.stack, `${id}Policy`, { productId: created.productId, apiManagementName: b.edge.name, resourceGroupName: b.edge.resourceGroupName, xmlContent: options.policy });
  }
  return created;
}

function plainApi(b: Base, id: string, props: Partial<ConstructorParameters<typeof ApiManagementApi>[2]>): ApiManagementApi {
  return new ApiManagementApi(b.stack, id, {
    name: id.toLowerCase(),
    apiManagementName: b.edge.name,
    resourceGroupName: b.edge.resourceGroupName,
    revision: '1',
    displayName: id,
    protocols: ['https'],
    serviceUrl: 'https://orders.internal.contoso.example',
    ...props,
  });
}

function operation(b: Base, id: string, apiName: string, method: string, urlTemplate: string, policy?: string): void {
  const created = new ApiManagementApiOperation(b.stack, id, {
    operationId: id.toLowerCase(),
    apiName,
    apiManagementName: b.edge.name,
    resourceGroupName: b.edge.resourceGroupName,
    displayName: id,
    method,
    urlTemplate,
  });
  if (policy !== undefined) {
    new ApiManagementApiOperationPolicy(b.stack, `${id}Policy`, { apiName, apiManagementName: b.edge.name, resourceGroupName: b.edge.resourceGroupName, operationId: created.operationId, xmlContent: policy });
  }
}

export const SCOPE_ATTEMPTS: readonly Attempt[] = [
  {
    name: 'a new product linking /orders whose policy has no <base /> (the API gate is inside it and still runs)',
    change: (b) => product(b, 'Gold', 'gold', b.orders.api.name, { policy: HEADER_ONLY }),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a new open product (subscription not required) linking /orders',
    change: (b) => product(b, 'Open', 'open', b.orders.api.name, { subscriptionRequired: false }),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: 'a new product linking /partners whose policy answers before <base />',
    change: (b) => product(b, 'Shortcut', 'shortcut', b.partners.api.name, { policy: `<policies><inbound>${ANSWER}<base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>` }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→answered .*product:shortcut .*partners/,
  },
  {
    name: 'a global policy for contoso-core attached through a data source id that answers every request',
    change: (b) => {
      const core = new DataAzurermApiManagement(b.stack, 'CoreLookup', { name: 'contoso-core', resourceGroupName: 'rg-gateway' });
      new ApiManagementPolicy(b.stack, 'CorePolicy', { apiManagementId: core.id, xmlContent: `<policies><inbound>${ANSWER}</inbound><backend><forward-request /></backend><outbound /><on-error /></policies>` });
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→answered .*inventory/,
  },
  {
    name: 'a global policy for contoso-core keyed by an ARM id in other letter case that answers every request',
    change: (b) =>
      new ApiManagementPolicy(b.stack, 'CorePolicy', {
        apiManagementId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/RG-GATEWAY/providers/microsoft.apimanagement/service/CONTOSO-CORE',
        xmlContent: `<policies><inbound>${ANSWER}</inbound><backend><forward-request /></backend><outbound /><on-error /></policies>`,
      }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→answered .*inventory/,
  },
  {
    name: 'revision 2 of /orders (reachable as orders;rev=2) without any policy',
    change: (b) => plainApi(b, 'OrdersRev2', { name: 'orders-api', path: 'orders', revision: '2', displayName: 'Orders' }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened .*orders/,
  },
  {
    name: 'an API policy attached to "orders-api;rev=2" that drops the gate',
    change: (b) => new ApiManagementApiPolicy(b.stack, 'Rev2Policy', { apiName: 'orders-api;rev=2', apiManagementName: b.edge.name, resourceGroupName: b.edge.resourceGroupName, xmlContent: OPEN }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened .*orders/,
  },
  {
    name: 'an API policy without the gate attached to /orders by its name in upper case (hand-edited: the synth-time check refuses it)',
    edit: (json) => {
      json.resource.azurerm_api_management_api_policy.UpperPolicy = { api_name: 'ORDERS-API', api_management_name: 'contoso-edge', resource_group_name: 'rg-gateway', xml_content: OPEN };
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→(undecided|forwarded) .*orders/,
  },
  {
    name: 'revision 2 of /orders with an operation of its own and no policy (reachable as orders;rev=2)',
    change: (b) => {
      plainApi(b, 'OrdersRev2', { name: 'orders-api', path: 'orders', revision: '2', displayName: 'Orders' });
      operation(b, 'Rev2Get', 'orders-api;rev=2', 'GET', '/*');
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened .*orders/,
  },
  {
    name: 'a version v2 of /orders in a header-versioned version set (same path), without a policy',
    change: (b) => {
      const set = new ApiManagementApiVersionSet(b.stack, 'OrdersVersions', {
        name: 'orders-versions',
        apiManagementName: b.edge.name,
        resourceGroupName: b.edge.resourceGroupName,
        displayName: 'Orders',
        versioningScheme: 'Header',
        versionHeaderName: 'Api-Version',
      });
      b.orders.api.addOverride('version_set_id', set.id);
      b.orders.api.addOverride('version', 'v1');
      plainApi(b, 'OrdersV2', { path: 'orders', version: 'v2', versionSetId: set.id });
    },
    outcome: Outcome.WEAKENED,
    expect: /^weakened operation-added orders/,
  },
  {
    name: 'the path /orders also served by contoso-core, without a policy',
    change: (b) =>
      new ApiManagementApi(b.stack, 'CoreOrders', {
        name: 'orders-api',
        apiManagementName: b.core.name,
        resourceGroupName: b.core.resourceGroupName,
        revision: '1',
        displayName: 'Orders',
        path: 'orders',
        protocols: ['https'],
        serviceUrl: 'https://orders.internal.contoso.example',
      }),
    outcome: Outcome.WEAKENED,
    expect: /^weakened operation-added orders/,
  },
  {
    name: 'an operation GET /{*rest} on /partners that overlaps the catch-all, its policy without <base />',
    change: (b) => operation(b, 'Rest', b.partners.api.name, 'GET', '/{*rest}', OPEN),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→forwarded GET \/\{\*rest\}/,
  },
  {
    name: 'an operation OPTIONS /cors on /partners answering preflight requests before <base />',
    change: (b) => operation(b, 'Preflight', b.partners.api.name, 'OPTIONS', '/cors', `<policies><inbound>${ANSWER}<base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→answered OPTIONS \/cors/,
  },
  {
    name: 'a custom method PROPFIND /* on /partners without its own policy (inherits the gate)',
    change: (b) => operation(b, 'Propfind', b.partners.api.name, 'PROPFIND', '/*'),
    outcome: Outcome.PASSES,
    expect: /^to-note operation-added partners PROPFIND \/\*/,
  },
  {
    name: 'a method written in lower case on a new operation of /partners (fares as GET /* does: no change)',
    change: (b) => operation(b, 'LowerGet', b.partners.api.name, 'get', '/items'),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
];

runAttempts(SCOPE_ATTEMPTS);
