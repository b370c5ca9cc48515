import { ApiManagementApiVersionSet } from '@cdktf/provider-azurerm/lib/api-management-api-version-set';
import { ApiManagementService, CertificateSource, GateTarget, UploadedCertificate } from '../../../src';
import { newService, newStack } from '../../support/stack';
import { gate, gatedApi, link, plainApi, plainOperation, product, synthError, unprovenWarnings } from './support';

/*
 * Collisions a careless platform team writes: two resources Azure takes for one object pass
 * `terraform plan` and fail at apply (or, for policies, one silently replaces the other).
 * Expected verdict, decided before each attempt ran: a synth error naming both constructs, or a
 * pass when Azure keeps them apart.
 */

function serviceWithGatedApi() {
  const stack = newStack();
  const apim = newService(stack, 'Developer_1');
  const api = gatedApi(stack, apim);
  return { stack, apim, api };
}

const PATH_COLLISION =
  /two APIs answer path "gated" on service "contoso-apim": test\/Gated\/Api \(azurerm_api_management_api\.Gated_Api_[0-9A-F]+\) and test\/Theirs \(azurerm_api_management_api\.Theirs\)\..*Give one of them another path/;

describe('API paths', () => {
  test('a plain API on the path of ours in another case fails synth naming both', () => {
    const { stack, apim } = serviceWithGatedApi();
    plainApi(stack, apim, 'Theirs', 'GATED', { name: 'theirs' });
    expect(synthError(stack)).toMatch(PATH_COLLISION);
  });

  test('a plain API on the path of ours with a trailing slash fails synth naming both: APIM takes them for one path', () => {
    const { stack, apim } = serviceWithGatedApi();
    plainApi(stack, apim, 'Theirs', 'gated/', { name: 'theirs' });
    expect(synthError(stack)).toMatch(PATH_COLLISION);
  });

  test('a plain API on the path of ours with a leading slash fails synth naming both', () => {
    const { stack, apim } = serviceWithGatedApi();
    plainApi(stack, apim, 'Theirs', '/gated', { name: 'theirs' });
    expect(synthError(stack)).toMatch(PATH_COLLISION);
  });

  test('a plain API with the name and revision of ours fails synth once, as a collision naming both, and not also as a second revision', () => {
    const { stack, apim } = serviceWithGatedApi();
    plainApi(stack, apim, 'Theirs', 'elsewhere', { name: 'gated' });
    const error = synthError(stack);
    expect(error).toMatch(/two resources define API "gated;rev=1" on service "contoso-apim": test\/Gated\/Api .* and test\/Theirs /);
    expect(error).not.toMatch(/has revisions/);
  });

  test('the same path on another service passes', () => {
    const { stack } = serviceWithGatedApi();
    plainApi(stack, ApiManagementService.fromExisting(stack, 'Other', { name: 'other-apim', resourceGroupName: 'rg-other' }), 'Theirs', 'gated');
    expect(synthError(stack)).toBe('');
  });

  test('two versions of one API in a version set share a path and pass', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const set = new ApiManagementApiVersionSet(stack, 'Versions', { name: 'orders', apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, displayName: 'Orders', versioningScheme: 'Segment' });
    const v1 = plainApi(stack, apim, 'OrdersV1', 'orders', { name: 'orders-v1', version: 'v1', versionSetId: set.id });
    plainApi(stack, apim, 'OrdersV2', 'orders', { name: 'orders-v2', version: 'v2', versionSetId: set.id });
    plainOperation(stack, apim, v1.name);
    gate(stack, 'Gate', { target: GateTarget.api(v1, apim) });
    expect(synthError(stack)).toBe('');
  });
});

describe('certificates and gates', () => {
  test('two certificates whose names differ only in case fail synth naming both: APIM names are case-insensitive', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    new UploadedCertificate(stack, 'Gateway', { apiManagement: apim, name: 'gateway', source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway') });
    new UploadedCertificate(stack, 'GatewayUpper', { apiManagement: apim, name: 'GATEWAY', source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway2') });
    expect(synthError(stack)).toMatch(/two certificates are named "gateway" on service "contoso-apim": test\/Gateway\/Certificate .* and test\/GatewayUpper\/Certificate/);
  });

  test('two gates on one API fail synth naming both: APIM keeps one policy per API and the second replaces the first', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const api = plainApi(stack, apim);
    gate(stack, 'GateA', { target: GateTarget.api(api, apim) });
    gate(stack, 'GateB', { target: GateTarget.apiByName(apim, api.name) });
    expect(synthError(stack)).toMatch(
      /two policies are written for API "orders" on service "contoso-apim": test\/GateA\/Policy .* and test\/GateB\/Policy .*whichever applies last silently replaces the other, gate included/,
    );
  });

  test('a product gate and a ClientCertGatedApi in that product pass: both gates run, each rejects untrusted callers', () => {
    const { stack, apim, api } = serviceWithGatedApi();
    const partners = product(stack, apim);
    link(stack, apim, partners.productId, api.api.name);
    gate(stack, 'ProductGate', { target: GateTarget.product(partners) });
    expect(synthError(stack)).toBe('');
    expect(unprovenWarnings(stack)).toEqual([]);
  });

  test('a service gate and a ClientCertGatedApi pass', () => {
    const { stack, apim } = serviceWithGatedApi();
    gate(stack, 'ServiceGate', { target: GateTarget.service(apim) });
    expect(synthError(stack)).toBe('');
  });
});
