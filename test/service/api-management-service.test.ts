import { readFileSync } from 'node:fs';
import { Testing, TerraformVariable } from 'cdktf';
import { ApiManagementService, ApiManagementServiceProps, CaCertificate, CaCertificateStore, CertificateSource, ClientCertGatedApi, ClientCertificateTrust, GatewayCustomDomain, Secret, ServiceIdentity } from '../../src';
import { APIM_ARM_TYPE } from '../../src/service/api-management-service';
import { writePfx } from '../support/pfx';
import { synthesized } from '../support/synthesized';
import { issueCertificate } from '../support/x509';
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

describe('custom gateway domains ask for client certificates the way the SKU needs', () => {
  const KV_HOST: GatewayCustomDomain = {
    hostName: 'api.contoso.com',
    certificate: CertificateSource.fromKeyVaultSecret('https://contoso-tls.vault.azure.net/secrets/api-contoso-com'),
  };

  function serviceWith(skuName: string, props: Partial<ApiManagementServiceProps> = {}) {
    const stack = newStack();
    const service = new ApiManagementService(stack, 'Apim', {
      name: 'contoso-apim', resourceGroupName: 'rg-apim', location: 'westeurope', publisherName: 'Contoso', publisherEmail: 'platform@contoso.example',
      skuName, ...props,
    });
    return { stack, service };
  }

  test.each(['Developer_1', 'Premium_1', 'Standard_1'])('classic %s: each custom host negotiates, next to the default host', (sku) => {
    const { stack } = serviceWith(sku, { customDomains: [KV_HOST] });
    const service = synthesized(stack).only('azurerm_api_management').values;
    expect(service.hostname_configuration.proxy).toEqual([
      { host_name: 'contoso-apim.azure-api.net', negotiate_client_certificate: true },
      { host_name: 'api.contoso.com', negotiate_client_certificate: true, key_vault_certificate_id: KV_HOST.certificate.location },
    ]);
    // The gateway reads a Key Vault certificate with the service's own identity.
    expect(service.identity).toEqual({ type: 'SystemAssigned' });
  });

  test('Consumption: the service-wide flag covers the custom host, which gets no negotiation setting', () => {
    const { stack } = serviceWith('Consumption_0', { customDomains: [KV_HOST] });
    const service = synthesized(stack).only('azurerm_api_management').values;
    expect(service.client_certificate_enabled).toBe(true);
    expect(service.hostname_configuration.proxy).toEqual([
      { host_name: 'contoso-apim.azure-api.net' },
      { host_name: 'api.contoso.com', key_vault_certificate_id: KV_HOST.certificate.location },
    ]);
  });

  test('v2: the azapi setting covers every host, which gets no negotiation setting', () => {
    const { stack } = serviceWith('StandardV2_1', { customDomains: [KV_HOST] });
    const plan = synthesized(stack);
    expect(plan.only('azurerm_api_management').values.hostname_configuration.proxy.map((p: any) => p.negotiate_client_certificate)).toEqual([undefined, undefined]);
    expect(plan.only('azapi_update_resource').values.body).toEqual({ properties: { enableClientCertificate: true } });
  });

  test('a PFX certificate is read by Terraform and its password is a sensitive variable: no secret in cdk.tf.json', () => {
    const password = 'custom-domain-pfx-password';
    const pfx = writePfx(issueCertificate({ subject: 'CN=api.contoso.com', dnsNames: ['api.contoso.com'] }), { password });
    const stack = newStack();
    const variable = new TerraformVariable(stack, 'api_tls_password', { type: 'string', sensitive: true });
    new ApiManagementService(stack, 'Apim', {
      name: 'contoso-apim', resourceGroupName: 'rg-apim', location: 'westeurope', publisherName: 'Contoso', publisherEmail: 'platform@contoso.example',
      skuName: 'Developer_1',
      customDomains: [{ hostName: 'api.contoso.com', certificate: CertificateSource.fromPfxFile(pfx, { password: Secret.fromTerraformVariable(variable) }), defaultSslBinding: true }],
    });
    const text = Testing.synth(stack, true);
    const [, custom] = JSON.parse(text).resource.azurerm_api_management[Object.keys(JSON.parse(text).resource.azurerm_api_management)[0]].hostname_configuration.proxy;
    expect(custom).toMatchObject({ host_name: 'api.contoso.com', negotiate_client_certificate: true, default_ssl_binding: true, certificate_password: '${var.api_tls_password}' });
    expect(custom.certificate).toMatch(/^\$\{filebase64\("assets\/.*\.pfx"\)\}$/);
    expect(text).not.toContain(password);
    expect(text).not.toContain(readFileSync(pfx).toString('base64').slice(0, 40));
  });

  test.each<[string, string, GatewayCustomDomain[], RegExp]>([
    ['two hosts on Standard', 'Standard_1', [KV_HOST, { ...KV_HOST, hostName: 'api2.contoso.com' }], /customDomains: 2 custom gateway host names are given, but Standard takes one/],
    ['a wildcard on Consumption', 'Consumption_0', [{ ...KV_HOST, hostName: '*.contoso.com' }], /is a wildcard, which Consumption does not support/],
    ['the same host twice', 'Premium_1', [KV_HOST, { ...KV_HOST, hostName: 'API.contoso.com' }], /hostName "API.contoso.com" is given twice/],
    ['a default domain', 'Premium_1', [{ ...KV_HOST, hostName: 'other.azure-api.net' }], /is a default domain of API Management/],
    ['a URL instead of a host', 'Premium_1', [{ ...KV_HOST, hostName: 'https://api.contoso.com' }], /hostName "https:\/\/api.contoso.com" is not a DNS host name/],
    ['a certificate id instead of a secret id', 'Premium_1', [{ ...KV_HOST, certificate: CertificateSource.fromKeyVaultSecret('https://contoso-tls.vault.azure.net/certificates/api') }], /points at \/certificates\//],
    ['a missing PFX file', 'Premium_1', [{ ...KV_HOST, certificate: CertificateSource.fromPfxFile('/nonexistent/api.pfx', { password: Secret.unsafePlainText('x') }) }], /PFX file "\/nonexistent\/api.pfx" does not exist/],
  ])('%s is refused with the construct path', (_label, sku, customDomains, message) => {
    expect(() => serviceWith(sku, { customDomains })).toThrow(new RegExp(`^test/Apim: .*${message.source}`));
  });

  test('several hosts on Premium, a wildcard on Developer', () => {
    expect(() => serviceWith('Premium_1', { customDomains: [KV_HOST, { ...KV_HOST, hostName: 'partners.contoso.com' }] })).not.toThrow();
    expect(() => serviceWith('Developer_1', { customDomains: [{ ...KV_HOST, hostName: '*.contoso.com' }] })).not.toThrow();
  });

  test('a host added by an override without negotiation fails synth naming the service', () => {
    const { stack, service } = serviceWith('Premium_1', { customDomains: [KV_HOST] });
    // cdktf appends the overriding list to the construct's own blocks.
    service.resource.addOverride('hostname_configuration', { proxy: [{ host_name: 'partners.contoso.com', key_vault_certificate_id: KV_HOST.certificate.location }] });
    expect(() => synthesized(stack)).toThrow(
      /test\/Apim: gateway host "partners.contoso.com" does not negotiate client certificates .*\. Every client-certificate gate on this service then rejects every caller there/,
    );
  });

  test('an override that turns the Consumption flag off fails synth', () => {
    const { stack, service } = serviceWith('Consumption_0');
    service.resource.addOverride('client_certificate_enabled', false);
    expect(() => synthesized(stack)).toThrow(/test\/Apim: client_certificate_enabled is false, so Consumption never asks callers for a certificate/);
  });
});

describe('identity, tags and other settings of the service', () => {
  const serviceProps = (props: Partial<ApiManagementServiceProps>): ApiManagementServiceProps => ({
    name: 'contoso-apim', resourceGroupName: 'rg-apim', location: 'westeurope', publisherName: 'Contoso', publisherEmail: 'platform@contoso.example', skuName: 'Developer_1', ...props,
  });
  const UAI = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/apim';

  test('tags and a user-assigned identity are set; a Key Vault host then adds the system-assigned identity, with an info', () => {
    const stack = newStack();
    const service = new ApiManagementService(stack, 'Apim', serviceProps({
      tags: { owner: 'platform' },
      identity: ServiceIdentity.userAssigned([UAI]),
      customDomains: [{ hostName: 'api.contoso.com', certificate: CertificateSource.fromKeyVaultSecret('https://contoso-tls.vault.azure.net/secrets/api') }],
    }));
    const values = synthesized(stack).only('azurerm_api_management').values;
    expect(values.tags).toEqual({ owner: 'platform' });
    expect(values.identity).toEqual({ type: 'SystemAssigned, UserAssigned', identity_ids: [UAI] });
    expect(service.node.metadata.map((m) => m.data)).toEqual(expect.arrayContaining([expect.stringContaining('identity becomes "SystemAssigned, UserAssigned"')]));
  });

  test('a host read with a user-assigned identity keeps the identity as given', () => {
    const stack = newStack();
    const clientId = '11111111-2222-3333-4444-555555555555';
    new ApiManagementService(stack, 'Apim', serviceProps({
      identity: ServiceIdentity.userAssigned([UAI]),
      customDomains: [{ hostName: 'api.contoso.com', certificate: CertificateSource.fromKeyVaultSecret('https://contoso-tls.vault.azure.net/secrets/api', { identityClientId: clientId }) }],
    }));
    const values = synthesized(stack).only('azurerm_api_management').values;
    expect(values.identity).toEqual({ type: 'UserAssigned', identity_ids: [UAI] });
    expect(values.hostname_configuration.proxy[1].ssl_keyvault_identity_client_id).toBe(clientId);
  });

  test('a user-assigned identity without ids is refused', () => {
    expect(() => new ApiManagementService(newStack(), 'Apim', serviceProps({ identity: ServiceIdentity.userAssigned([]) }))).toThrow(/^test\/Apim: identity names no user-assigned identity/);
  });

  test('other settings stay reachable on .resource, and gates keep working', () => {
    const stack = newStack();
    const service = new ApiManagementService(stack, 'Apim', serviceProps({}));
    service.resource.publicNetworkAccessEnabled = false;
    new ClientCertGatedApi(stack, 'Api', { apiManagement: service, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.uploadedCertificates() });
    expect(synthesized(stack).only('azurerm_api_management').values).toMatchObject({ public_network_access_enabled: false, hostname_configuration: { proxy: [{ negotiate_client_certificate: true }] } });
  });
});

describe('an existing service with custom host names', () => {
  test('the warning says what to enable on each host for a classic tier', () => {
    const stack = newStack();
    ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg', skuName: 'Premium_1', customHostNames: ['api.contoso.com', 'partners.contoso.com'] });
    expect(warningsOf(stack)).toEqual([
      expect.stringContaining('turn on "Negotiate client certificate" for each gateway host name, "shared-apim.azure-api.net", "api.contoso.com", "partners.contoso.com"'),
    ]);
  });

  test('on Consumption the one service-wide setting covers every host', () => {
    const stack = newStack();
    ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg', skuName: 'Consumption_0', customHostNames: ['api.contoso.com'] });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('client_certificate_enabled = true) (it covers every gateway host name: "shared-apim.azure-api.net", "api.contoso.com")')]);
  });

  test('a bad host name is refused', () => {
    expect(() => ApiManagementService.fromExisting(newStack(), 'Shared', { name: 's', resourceGroupName: 'rg', customHostNames: ['api contoso'] })).toThrow(/^test\/Shared: customHostNames: hostName "api contoso" is not a DNS host name/);
  });
});
