import { Testing } from 'cdktf';
import { ApiManagementService, APIM_ARM_TYPE, CaCertificate, CaCertificateStore } from '../../src';
import { newService, newStack, onlyResource, synthJson, warningsOf } from '../support/stack';
import { makeCertificatePem } from '../support/certificates';

describe('ApiManagementService asks for client certificates the way its SKU needs', () => {
  test('Consumption: client_certificate_enabled, no hostname configuration, no azapi', () => {
    const stack = newStack();
    newService(stack, 'Consumption_0');
    const json = synthJson(stack);
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), 'azurerm_api_management', {
      sku_name: 'Consumption_0',
      client_certificate_enabled: true,
    })).toBe(true);
    const service = onlyResource(json, 'azurerm_api_management');
    expect(service.hostname_configuration).toBeUndefined();
    expect(json.resource.azapi_update_resource).toBeUndefined();
    expect(json.terraform.required_providers.azapi).toBeUndefined();
  });

  test.each(['Developer_1', 'Basic_1', 'Standard_2', 'Premium_1'])(
    'classic %s: negotiate on the default host, client_certificate_enabled left unset',
    (sku) => {
      const stack = newStack();
      newService(stack, sku);
      const json = synthJson(stack);
      const service = onlyResource(json, 'azurerm_api_management');
      expect(service.client_certificate_enabled).toBeUndefined();
      expect(service.hostname_configuration).toEqual({
        proxy: [{ host_name: 'contoso-apim.azure-api.net', negotiate_client_certificate: true }],
      });
      expect(json.resource.azapi_update_resource).toBeUndefined();
    },
  );

  test.each(['BasicV2_1', 'StandardV2_1', 'PremiumV2_1'])('v2 %s: azapi_update_resource sets enableClientCertificate', (sku) => {
    const stack = newStack();
    newService(stack, sku);
    newService(stack, sku, 'Second');
    const json = synthJson(stack);
    const services = Object.entries<any>(json.resource.azurerm_api_management);
    for (const [, service] of services) {
      expect(service.client_certificate_enabled).toBeUndefined();
      expect(service.hostname_configuration).toBeUndefined();
      // azurerm would read back true against its default false and undo the azapi patch.
      expect(service.lifecycle).toEqual({ ignore_changes: ['client_certificate_enabled'] });
    }
    const patches = Object.values<any>(json.resource.azapi_update_resource);
    expect(patches).toHaveLength(2);
    expect(patches[0]).toMatchObject({
      type: APIM_ARM_TYPE,
      resource_id: `\${azurerm_api_management.${services[0][0]}.id}`,
      body: { properties: { enableClientCertificate: true } },
    });
    // One azapi provider for the stack, however many services use it.
    expect(json.provider.azapi).toHaveLength(1);
    expect(json.terraform.required_providers.azapi).toEqual({ source: 'azure/azapi', version: '~> 2.0' });
  });

  test('an existing service gets a warning saying what to enable by hand for its SKU', () => {
    const stack = newStack();
    const existing = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg', skuName: 'Premium_1' });
    expect(existing.gatewayHostName).toBe('shared-apim.azure-api.net');
    synthJson(stack);
    const warnings = warningsOf(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"shared-apim" is not managed by this stack');
    expect(warnings[0]).toContain('negotiate_client_certificate = true');
  });

  test('an existing service of unknown SKU gets the instructions for every tier', () => {
    const stack = newStack();
    ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg' });
    const [warning] = warningsOf(stack);
    expect(warning).toMatch(/Consumption: client_certificate_enabled; classic tiers: .*; v2 tiers: enableClientCertificate/);
  });
});

describe('CA certificates', () => {
  const root = makeCertificatePem({ subject: 'CN=Contoso Root CA', ca: true });

  test('are uploaded as base64 DER into the Root store when self-signed', () => {
    const stack = newStack();
    new ApiManagementService(stack, 'Apim', {
      name: 'contoso-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'p', publisherEmail: 'p@example.com',
      skuName: 'Developer_1',
      caCertificates: [CaCertificate.fromPem(root.pem)],
    });
    const service = onlyResource(synthJson(stack), 'azurerm_api_management');
    expect(service.certificate).toEqual([{ encoded_certificate: root.derBase64, store_name: 'Root' }]);
    expect(service.certificate[0].encoded_certificate).not.toContain('BEGIN');
  });

  test('an explicit store is kept', () => {
    expect(CaCertificate.fromPem(root.pem, { store: CaCertificateStore.CERTIFICATE_AUTHORITY }).store).toBe('CertificateAuthority');
  });

  test('are refused on Consumption with the construct path and the fix', () => {
    const stack = newStack();
    expect(() =>
      new ApiManagementService(stack, 'Apim', {
        name: 'contoso-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'p', publisherEmail: 'p@example.com',
        skuName: 'Consumption_0',
        caCertificates: [CaCertificate.fromPem(root.pem)],
      }),
    ).toThrow(/^test\/Apim: caCertificates cannot be uploaded to a Consumption service \(Consumption_0\)\. .*Developer, Basic, Standard or Premium/);
  });

  test('more than 10 are refused', () => {
    const stack = newStack();
    expect(() =>
      new ApiManagementService(stack, 'Apim', {
        name: 'contoso-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'p', publisherEmail: 'p@example.com',
        skuName: 'Premium_1',
        caCertificates: Array.from({ length: 11 }, () => CaCertificate.fromPem(root.pem)),
      }),
    ).toThrow(/test\/Apim: caCertificates has 11 entries; API Management takes at most 10/);
  });

  test('a leaf certificate, garbage and a missing file are refused with what is wrong', () => {
    const leaf = makeCertificatePem({ subject: 'CN=leaf', ca: false });
    expect(() => CaCertificate.fromPem(leaf.pem)).toThrow(/\(CN=leaf\) is not a CA certificate/);
    expect(() => CaCertificate.fromPem('hello')).toThrow(/PEM text is not an X.509 certificate/);
    expect(() => CaCertificate.fromFile('/nonexistent/ca.pem')).toThrow(/"\/nonexistent\/ca.pem" cannot be read \(ENOENT\)/);
  });
});

describe('bad service input', () => {
  test.each([
    ['Gold_1', /skuName "Gold_1" is not an API Management SKU/],
    ['Developer', /skuName "Developer" is not an API Management SKU/],
    ['Consumption_1', /Consumption is always "Consumption_0"/],
    ['Premium_0', /use at least 1, e.g. "Premium_1"/],
  ])('sku %s', (sku, message) => {
    const stack = newStack();
    expect(() => newService(stack, sku)).toThrow(message);
    expect(() => newService(newStack(), sku)).toThrow(/^test\/Apim: /);
  });

  test('service name', () => {
    const stack = newStack();
    expect(() =>
      new ApiManagementService(stack, 'Apim', {
        name: 'contoso_apim!', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'p', publisherEmail: 'p@example.com', skuName: 'Developer_1',
      }),
    ).toThrow(/test\/Apim: name "contoso_apim!" is not a valid API Management service name/);
  });
});
