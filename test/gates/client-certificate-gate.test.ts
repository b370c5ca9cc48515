import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApiManagementService,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertificateGate,
  ClientCertificateGateProps,
  ClientCertificateTrust,
  CustomPolicy,
  GateTarget,
  IApiManagementService,
  UploadedCertificate,
} from '../../src';
import { EnclosingPolicy, SimulatedCertificate, SimulatedOutcome, simulatePolicy } from '../../src/policy/simulator';
import { newService, newStack, warningsOf } from '../support/stack';
import { synthesized } from '../support/synthesized';

const PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const trust = () => ClientCertificateTrust.thumbprints([PARTNER]);
const facts = { subject: 'CN=partner', issuer: 'CN=CA', notBefore: new Date('2020-01-01'), notAfter: new Date('2040-01-01') };
const CALLERS: Array<[string, SimulatedCertificate | undefined, SimulatedOutcome]> = [
  ['the trusted certificate', SimulatedCertificate.fromFacts({ ...facts, thumbprint: PARTNER }), SimulatedOutcome.FORWARDED],
  ['an unknown certificate', SimulatedCertificate.fromFacts({ ...facts, thumbprint: 'F'.repeat(40) }), SimulatedOutcome.REJECTED],
  ['no certificate', undefined, SimulatedOutcome.REJECTED],
];

function plainApi(scope: Construct, service: IApiManagementService, id = 'Orders', path = 'orders'): ApiManagementApi {
  return new ApiManagementApi(scope, id, {
    name: path,
    apiManagementName: service.name,
    resourceGroupName: service.resourceGroupName,
    revision: '1',
    displayName: id,
    path,
    protocols: ['https'],
  });
}

function operation(scope: Construct, service: IApiManagementService, api: string, id = 'GetOrder'): ApiManagementApiOperation {
  return new ApiManagementApiOperation(scope, id, {
    apiName: api,
    apiManagementName: service.name,
    resourceGroupName: service.resourceGroupName,
    operationId: id.toLowerCase(),
    displayName: id,
    method: 'GET',
    urlTemplate: '/orders/{id}',
    templateParameter: [{ name: 'id', required: true, type: 'string' }],
  });
}

function gate(scope: Construct, id: string, props: Partial<ClientCertificateGateProps> & Pick<ClientCertificateGateProps, 'target'>): ClientCertificateGate {
  return new ClientCertificateGate(scope, id, { trust: trust(), ...props });
}

/** An API or operation policy that keeps <base /> everywhere, as a plain provider resource would. */
const INHERITING = '<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

function expectCallers(simulate: (certificate: SimulatedCertificate | undefined) => SimulatedOutcome): void {
  for (const [label, certificate, expected] of CALLERS) expect({ caller: label, outcome: simulate(certificate) }).toEqual({ caller: label, outcome: expected });
}

describe('ClientCertificateGate on an API defined in the stack with plain provider classes', () => {
  test('writes the API policy and makes the API\'s operations wait for it', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const api = plainApi(stack, apim);
    operation(stack, apim, api.name);
    operation(stack, apim, 'orders', 'ByLiteralName');
    const { policyXml } = gate(stack, 'OrdersGate', { target: GateTarget.api(api) });

    const plan = synthesized(stack);
    const policy = plan.only('azurerm_api_management_api_policy');
    expect(policy.values).toMatchObject({ api_name: '${azurerm_api_management_api.Orders.name}', xml_content: policyXml });
    const operations = plan.all('azurerm_api_management_api_operation');
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(op.values.depends_on).toEqual([policy.address]);
    expectCallers((certificate) => simulatePolicy(policy.values.xml_content, { clientCertificate: certificate }).outcome);
  });

  test('an operation of another API does not wait for this gate', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    gate(stack, 'OrdersGate', { target: GateTarget.api(plainApi(stack, apim)) });
    operation(stack, apim, plainApi(stack, apim, 'Other', 'other').name);
    expect(synthesized(stack).only('azurerm_api_management_api_operation').values.depends_on).toBeUndefined();
  });

  test('on a v2 service, the gate waits for the setting that asks callers for certificates', () => {
    const stack = newStack();
    const apim = newService(stack, 'StandardV2_1');
    gate(stack, 'OrdersGate', { target: GateTarget.api(plainApi(stack, apim)) });
    const plan = synthesized(stack);
    expect(plan.only('azurerm_api_management_api_policy').values.depends_on).toEqual([plan.only('azapi_update_resource').address]);
  });

  test('a ClientCertGatedApi already has its gate: a second one is a synth error naming both', () => {
    const stack = newStack();
    const apim = newService(stack);
    const gated = new ClientCertGatedApi(stack, 'Gated', { apiManagement: apim, displayName: 'G', path: 'g', serviceUrl: 'https://g.example.com', trust: trust() });
    gate(stack, 'Again', { target: GateTarget.api(gated) });
    expect(() => synthesized(stack)).toThrow(/two policies are written for API "gated" on service "contoso-apim": test\/Gated\/Policy .* and test\/Again\/Policy /);
  });
});

describe('ClientCertificateGate on an API known only by name on an existing service', () => {
  function existing(stack: TerraformStack): IApiManagementService {
    return ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg-shared', skuName: 'Premium_1' });
  }

  test('writes the API policy with literal names and gates every caller', () => {
    const stack = newStack();
    gate(stack, 'LegacyGate', { target: GateTarget.apiByName(existing(stack), 'legacy;rev=2') });
    const policy = synthesized(stack).only('azurerm_api_management_api_policy');
    expect(policy.values).toMatchObject({ api_name: 'legacy;rev=2', api_management_name: 'shared-apim', resource_group_name: 'rg-shared' });
    expectCallers((certificate) => simulatePolicy(policy.values.xml_content, { clientCertificate: certificate }).outcome);
  });

  test('operations in the stack that name the API by its literal name wait for the gate', () => {
    const stack = newStack();
    const shared = existing(stack);
    gate(stack, 'LegacyGate', { target: GateTarget.apiByName(shared, 'legacy') });
    operation(stack, shared, 'legacy');
    const plan = synthesized(stack);
    expect(plan.only('azurerm_api_management_api_operation').values.depends_on).toEqual([plan.only('azurerm_api_management_api_policy').address]);
  });

  test.each([
    ['an API name with a space', 'legacy api', /^test\/LegacyGate: API name "legacy api" is not an API Management API id/],
    ['an empty API name', '', /^test\/LegacyGate: API name "" is not an API Management API id/],
  ])('%s is refused', (_label, name, message) => {
    const stack = newStack();
    expect(() => gate(stack, 'LegacyGate', { target: GateTarget.apiByName(existing(stack), name) })).toThrow(message);
  });
});

describe('ClientCertificateGate on a product', () => {
  function productStack() {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const product = new ApiManagementProduct(stack, 'Partners', {
      productId: 'partners',
      apiManagementName: apim.name,
      resourceGroupName: apim.resourceGroupName,
      displayName: 'Partners',
      published: true,
      subscriptionRequired: true,
    });
    const api = plainApi(stack, apim);
    new ApiManagementProductApi(stack, 'PartnersOrders', { productId: product.productId, apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName });
    return { stack, apim, product, api };
  }

  test('writes the product policy; APIs join the product only after it exists', () => {
    const { stack, product } = productStack();
    gate(stack, 'PartnersGate', { target: GateTarget.product(product), customPolicy: CustomPolicy.fromXml('<policies><inbound><base /><quota calls="1000" renewal-period="3600" /></inbound></policies>') });
    const plan = synthesized(stack);
    const policy = plan.only('azurerm_api_management_product_policy');
    expect(policy.values.product_id).toBe('${azurerm_api_management_product.Partners.product_id}');
    expect(plan.only('azurerm_api_management_product_api').values.depends_on).toEqual([policy.address]);
    // An API policy that keeps <base /> runs the product's gate for calls made with the product's key.
    expectCallers(
      (certificate) =>
        simulatePolicy(INHERITING, { clientCertificate: certificate, scope: 'api', enclosingPolicies: [{ scope: 'product:partners', policy: policy.values.xml_content } as EnclosingPolicy] })
          .outcome,
    );
  });

  test('by id on an existing service, with literal names', () => {
    const stack = newStack();
    const shared = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg-shared' });
    gate(stack, 'StarterGate', { target: GateTarget.productById(shared, 'starter') });
    expect(synthesized(stack).only('azurerm_api_management_product_policy').values).toMatchObject({ product_id: 'starter', api_management_name: 'shared-apim' });
    expect(() => gate(stack, 'Bad', { target: GateTarget.productById(shared, 'star ter') })).toThrow(/^test\/Bad: product id "star ter" is not an API Management product id/);
  });

  test('two gates on one product are a synth error', () => {
    const { stack, product } = productStack();
    gate(stack, 'First', { target: GateTarget.product(product) });
    gate(stack, 'Second', { target: GateTarget.product(product) });
    expect(() => synthesized(stack)).toThrow(/two policies are written for product "partners" on service "contoso-apim": test\/First\/Policy .* and test\/Second\/Policy /);
  });
});

describe('ClientCertificateGate on the whole service', () => {
  test('writes the global policy keyed by the service id; every API and link on the service waits for it', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const api = plainApi(stack, apim);
    operation(stack, apim, api.name);
    const gated = new ClientCertGatedApi(stack, 'Gated', { apiManagement: apim, displayName: 'G', path: 'g', serviceUrl: 'https://g.example.com', trust: trust() });
    gate(stack, 'ServiceGate', { target: GateTarget.service(apim) });
    const plan = synthesized(stack);
    const global = plan.only('azurerm_api_management_policy');
    expect(global.values.api_management_id).toBe(`\${${plan.only('azurerm_api_management').address}.id}`);
    const waiting = [...plan.all('azurerm_api_management_api'), ...plan.all('azurerm_api_management_api_operation').filter((op) => !op.address.startsWith('azurerm_api_management_api_operation.Gated'))];
    expect(waiting.length).toBeGreaterThan(1);
    for (const resource of waiting) {
      expect({ resource: resource.address, dependsOn: resource.values.depends_on }).toEqual({ resource: resource.address, dependsOn: expect.arrayContaining([global.address]) });
    }
    expect(gated.operations).toHaveLength(7);
    expectCallers(
      (certificate) =>
        simulatePolicy(INHERITING, { clientCertificate: certificate, scope: 'api', enclosingPolicies: [{ scope: 'global', policy: global.values.xml_content } as EnclosingPolicy] }).outcome,
    );
  });

  test('on an existing service, the id is looked up by a data source unless given', () => {
    const stack = newStack();
    const looked = ApiManagementService.fromExisting(stack, 'Looked', { name: 'looked-apim', resourceGroupName: 'rg' });
    gate(stack, 'LookedGate', { target: GateTarget.service(looked) });
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/given-apim';
    const given = ApiManagementService.fromExisting(stack, 'Given', { name: 'given-apim', resourceGroupName: 'rg', resourceId: id });
    gate(stack, 'GivenGate', { target: GateTarget.service(given) });
    const plan = synthesized(stack);
    const ids = plan.all('azurerm_api_management_policy').map((p) => p.values.api_management_id).sort();
    const [lookup] = Object.keys(plan.json.data.azurerm_api_management);
    expect(ids).toEqual([id, `\${data.azurerm_api_management.${lookup}.id}`].sort());
    expect(plan.json.data.azurerm_api_management[lookup]).toEqual({ name: 'looked-apim', resource_group_name: 'rg' });
  });

  test('a resource id of another service is refused', () => {
    const stack = newStack();
    expect(() =>
      ApiManagementService.fromExisting(stack, 'Given', {
        name: 'given-apim',
        resourceGroupName: 'rg',
        resourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/other-apim',
      }),
    ).toThrow(/^test\/Given: resourceId ".*other-apim" is not the id of service "given-apim" in resource group "rg"/);
  });

  test('two global policies for one service are a synth error, also when one names the service by its literal id', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    gate(stack, 'ServiceGate', { target: GateTarget.service(apim) });
    const id = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/contoso-apim';
    gate(stack, 'ById', { target: GateTarget.service(ApiManagementService.fromExisting(stack, 'Same', { name: 'contoso-apim', resourceGroupName: 'rg-apim', resourceId: id })) });
    expect(() => synthesized(stack)).toThrow(/two global \(all APIs\) policies are written on service "contoso-apim": test\/ServiceGate\/Policy .* and test\/ById\/Policy /);
  });
});

describe('gate checks shared with ClientCertGatedApi', () => {
  test('a gate on a plain API trusting a certificate uploaded to another service fails synth', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const other = newService(stack, 'Developer_1', 'Other');
    other.resource.name = 'other-apim';
    const kv = new UploadedCertificate(stack, 'Kv', { apiManagement: other, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/partner') });
    gate(stack, 'OrdersGate', { target: GateTarget.api(plainApi(stack, apim)), trust: ClientCertificateTrust.certificates([kv]) });
    expect(() => synthesized(stack)).toThrow(/test\/OrdersGate: trusted certificate test\/Kv is uploaded to service "other-apim", but the gate guards API test\/Orders on service "contoso-apim"/);
  });

  test('with the service known, the same mistake fails at once', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const other = newService(stack, 'Developer_1', 'Other');
    const kv = new UploadedCertificate(stack, 'Kv', { apiManagement: other, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/partner') });
    expect(() => gate(stack, 'ServiceGate', { target: GateTarget.service(apim), trust: ClientCertificateTrust.certificates([kv]) })).toThrow(
      /^test\/ServiceGate: trusted certificate test\/Kv is uploaded to test\/Other, not to this gate's service test\/Apim/,
    );
  });

  test('weak options are warned as on ClientCertGatedApi', () => {
    const stack = newStack();
    gate(stack, 'ServiceGate', { target: GateTarget.service(newService(stack)), checkValidityPeriod: false });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('checkValidityPeriod is false')]);
  });

  test('bad options and a bad custom policy fail with the construct path', () => {
    const stack = newStack();
    const apim = newService(stack);
    expect(() => gate(stack, 'A', { target: GateTarget.service(apim), rejectReason: 'x' })).toThrow(/^test\/A: rejectStatusCode and rejectReason apply only to GateStyle.EXPRESSION/);
    expect(() => gate(stack, 'B', { target: GateTarget.service(apim), customPolicy: CustomPolicy.fromXml('<policies><inbound><return-response /></inbound></policies>') })).not.toThrow();
    expect(() =>
      gate(stack, 'C', { target: GateTarget.product(new ApiManagementProduct(stack, 'P', { productId: 'p', apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, displayName: 'P', published: true })), customPolicy: CustomPolicy.fromXml('<policies><inbound><return-response /><base /></inbound></policies>') }),
    ).toThrow(/^test\/C: customPolicy \(XML\)|^test\/C: <return-response> before <base \/>/);
  });
});
