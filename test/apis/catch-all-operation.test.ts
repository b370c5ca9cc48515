import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { TerraformResource, TerraformStack } from 'cdktf';
import { CatchAllOperation } from '../../src/apis/catch-all-operation';
import { newStack } from '../support/stack';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * The same stack twice, once with the provider's class and once with the lean one: an API, its
 * policy and one operation per method after the policy, and an operation policy naming GET's id.
 */
function stackWith(makeOperation: (stack: TerraformStack, id: string, values: OperationValues) => TerraformResource & { readonly operationId: string }): TerraformStack {
  const stack = newStack('operations');
  const api = new ApiManagementApi(stack, 'Api', { name: 'orders', apiManagementName: 'contoso-apim', resourceGroupName: 'rg', revision: '1' });
  const policy = new ApiManagementApiPolicy(stack, 'Policy', { apiName: api.name, apiManagementName: api.apiManagementName, resourceGroupName: api.resourceGroupName, xmlContent: '<policies />' });
  const operations = METHODS.map((method) =>
    makeOperation(stack, `${method}All`, { method, apiName: api.name, apiManagementName: api.apiManagementName, resourceGroupName: api.resourceGroupName, after: policy }),
  );
  new ApiManagementApiOperationPolicy(stack, 'GetPolicy', {
    apiName: api.name,
    apiManagementName: api.apiManagementName,
    resourceGroupName: api.resourceGroupName,
    operationId: operations[0].operationId,
    xmlContent: '<policies />',
  });
  return stack;
}

interface OperationValues {
  readonly method: string;
  readonly apiName: string;
  readonly apiManagementName: string;
  readonly resourceGroupName: string;
  readonly after: TerraformResource;
}

const withProviderClass = () =>
  stackWith(
    (stack, id, v) =>
      new ApiManagementApiOperation(stack, id, {
        operationId: `${v.method.toLowerCase()}-all`,
        apiName: v.apiName,
        apiManagementName: v.apiManagementName,
        resourceGroupName: v.resourceGroupName,
        displayName: `${v.method} /*`,
        method: v.method,
        urlTemplate: '/*',
        dependsOn: [v.after],
      }),
  );

const withLeanClass = () =>
  stackWith(
    (stack, id, v) =>
      new CatchAllOperation(stack, id, { apiName: v.apiName, apiManagementName: v.apiManagementName, resourceGroupName: v.resourceGroupName, method: v.method, dependsOn: [v.after] }),
  );

describe('CatchAllOperation', () => {
  test('writes the same JSON configuration as the provider class, attribute for attribute', () => {
    const lean = withLeanClass().toTerraform() as any;
    const provider = withProviderClass().toTerraform() as any;
    expect(Object.keys(lean.resource.azurerm_api_management_api_operation)).toHaveLength(METHODS.length);
    expect(lean.resource).toEqual(provider.resource);
    expect(JSON.stringify(lean)).toBe(JSON.stringify(provider));
  });

  test('writes the same HCL configuration as the provider class', () => {
    expect(withLeanClass().toHclTerraform()).toEqual(withProviderClass().toHclTerraform());
  });

  test('its operationId reads as the provider class\'s does: a reference to the operation\'s operation_id', () => {
    const policy = (withLeanClass().toTerraform() as any).resource.azurerm_api_management_api_operation_policy.GetPolicy;
    expect(policy.operation_id).toBe('${azurerm_api_management_api_operation.GETAll.operation_id}');
  });

  test.each(['get', 'GET /', '', '${var.method}'])('method %j is refused, naming the construct', (method) => {
    const stack = newStack();
    expect(() => new CatchAllOperation(stack, 'Op', { apiName: 'orders', apiManagementName: 'contoso-apim', resourceGroupName: 'rg', method })).toThrow(
      `test/Op: method ${JSON.stringify(method)} is not an HTTP method. Give it in upper case, e.g. "GET".`,
    );
  });
});
