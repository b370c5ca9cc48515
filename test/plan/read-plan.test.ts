import { PlanIssueKind, PlanSymbolKind, readPlan } from '../../src/plan';
import type { Plan, PlanApi, PlanService } from '../../src/plan';
import { issueCertificate } from '../support/x509';
import {
  api,
  apiPolicy,
  backend,
  certificate,
  globalPolicy,
  operation,
  operationPolicy,
  PARTNER,
  policy,
  product,
  productLink,
  productPolicy,
  service,
  SERVICE_NAME,
  terraform,
} from '../support/terraform-config';

function onlyService(plan: Plan): PlanService {
  expect(plan.services).toHaveLength(1);
  return plan.services[0];
}

function apiOf(plan: Plan, name: string): PlanApi {
  const found = plan.services.flatMap((s) => s.apis).find((a) => a.name === name);
  if (!found) throw new Error(`no API ${name}`);
  return found;
}

describe('resources and the references between them', () => {
  const plan = readPlan(
    terraform(
      service(),
      api('orders'),
      operation('orders', 'get-order', 'get', '/orders/{id}'),
      apiPolicy('orders', policy('<set-backend-service base-url="https://a.example" />')),
      operationPolicy('orders', 'get-order', policy('')),
      product('partners'),
      productLink('partners', 'orders'),
      productPolicy('partners', policy('')),
      globalPolicy(policy('')),
      certificate('partner', { thumbprint: PARTNER.toLowerCase(), subject: 'CN=partner', issuer: 'CN=partner', selfSigned: true }),
      backend('orders-backend', { credentials: { certificate: ['${azurerm_api_management_certificate.partner.thumbprint}'] } }),
      { azurerm_api_management_named_value: { nv: { name: 'thumbprints-id', api_management_name: SERVICE_NAME, resource_group_name: 'rg', display_name: 'thumbprints', value: PARTNER } } },
      {
        azurerm_api_management_policy_fragment: {
          gate: { api_management_id: '${azurerm_api_management.apim.id}', name: 'gate', value: '<fragment><base /></fragment>', format: 'rawxml' },
        },
      },
    ),
  );
  const svc = onlyService(plan);

  test('the service is keyed by its name and knows what it asks for', () => {
    expect(svc).toMatchObject({
      key: 'name:contoso-gateway',
      address: 'azurerm_api_management.apim',
      managed: true,
      skuName: { known: true, value: 'Consumption_0' },
      requiredMechanism: 'consumption-flag',
      mechanisms: ['consumption-flag'],
      asksForCertificates: { known: true, value: true },
    });
    expect(svc.policy).toMatchObject({ address: 'azurerm_api_management_policy.global', text: { known: true } });
  });

  test('an API, its operation, their policies and its product link are attached by reference', () => {
    const orders = apiOf(plan, 'orders-api');
    expect(orders).toMatchObject({
      address: 'azurerm_api_management_api.orders',
      path: { known: true, value: 'orders' },
      protocols: { known: true, value: ['https'] },
      subscriptionRequired: { known: true, value: true },
      serviceUrl: { known: true, value: 'https://orders.internal.example' },
      policy: { address: 'azurerm_api_management_api_policy.orders_policy' },
      productLinks: [{ address: 'azurerm_api_management_product_api.partners_orders', productKey: 'name:contoso-gateway/product:partners' }],
    });
    expect(orders.otherOperations).toBeUndefined();
    expect(orders.operations).toEqual([
      expect.objectContaining({
        key: 'GET /orders/{id}',
        method: 'GET',
        operationId: 'get-order',
        source: 'resource',
        policy: expect.objectContaining({ address: 'azurerm_api_management_api_operation_policy.orders_get-order_policy' }),
      }),
    ]);
    expect(svc.products).toEqual([expect.objectContaining({ productId: 'partners', policy: expect.objectContaining({ address: 'azurerm_api_management_product_policy.partners_policy' }) })]);
  });

  test('a certificate is described by its claims and a backend names it by reference', () => {
    expect(svc.certificates).toEqual([
      expect.objectContaining({
        address: 'azurerm_api_management_certificate.partner',
        name: { known: true, value: 'partner' },
        thumbprint: PARTNER,
        thumbprintKnown: true,
        source: { kind: 'pfx-file', file: 'assets/partner/0123456789ABCDEF0123456789ABCDEF/partner.pfx', contentHash: '0123456789ABCDEF0123456789ABCDEF' },
      }),
    ]);
    expect(svc.backends).toEqual([
      expect.objectContaining({
        name: { known: true, value: 'orders-backend' },
        url: { known: true, value: 'https://orders-backend.internal.example' },
        validateCertificateChain: { known: true, value: true },
        validateCertificateName: { known: true, value: true },
        clientCertificates: [{ thumbprint: PARTNER, certificate: 'azurerm_api_management_certificate.partner' }],
      }),
    ]);
  });

  test('named values are read under their display name (what policies write), fragments keyed by api_management_id', () => {
    expect(svc.namedValues).toEqual([expect.objectContaining({ name: { known: true, value: 'thumbprints' }, value: { known: true, value: PARTNER }, secret: false })]);
    expect(svc.fragments).toEqual([expect.objectContaining({ name: { known: true, value: 'gate' }, format: 'rawxml', text: { known: true, value: '<fragment><base /></fragment>' } })]);
  });
});

describe('the service-wide policy is keyed by api_management_id', () => {
  test.each([
    ['a reference to the managed service', service(), '${azurerm_api_management.apim.id}', 'name:contoso-gateway'],
    [
      'a data source',
      { 'data.azurerm_api_management': { existing: { name: 'legacy-gateway', resource_group_name: 'rg' } } },
      '${data.azurerm_api_management.existing.id}',
      'name:legacy-gateway',
    ],
    ['a literal ARM id', {}, '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/Legacy-Gateway', 'name:legacy-gateway'],
  ])('%s', (_, serviceBlock, id, key) => {
    const plan = readPlan(terraform(serviceBlock, globalPolicy(policy(''), { api_management_id: id })));
    const found = plan.services.find((s) => s.key === key);
    expect(found?.policy?.address).toBe('azurerm_api_management_policy.global');
    expect(plan.services.filter((s) => s.policy !== undefined)).toHaveLength(1);
  });

  test('a service known only by name is not managed, and whether it asks for certificates is undecided', () => {
    const plan = readPlan(terraform(api('orders', { api_management_name: 'legacy-gateway' })));
    expect(onlyService(plan)).toMatchObject({ key: 'name:legacy-gateway', managed: false, asksForCertificates: { known: false, reason: 'service legacy-gateway is not managed by this plan' } });
  });
});

describe('whether a service asks callers for certificates', () => {
  test.each([
    ['Consumption with client_certificate_enabled', { sku_name: 'Consumption_0', client_certificate_enabled: true }, true],
    ['Consumption without it', { sku_name: 'Consumption_0', client_certificate_enabled: undefined }, false],
    [
      'a classic tier negotiating on its gateway host',
      { sku_name: 'Developer_1', client_certificate_enabled: undefined, hostname_configuration: { proxy: [{ host_name: 'contoso-gateway.azure-api.net', negotiate_client_certificate: true }] } },
      true,
    ],
    ['a classic tier without negotiation', { sku_name: 'Premium_1', client_certificate_enabled: undefined }, false],
    ['a v2 tier without the azapi patch', { sku_name: 'StandardV2_1', client_certificate_enabled: undefined }, false],
  ])('%s', (_, config, asks) => {
    expect(onlyService(readPlan(terraform(service(config)))).asksForCertificates).toEqual({ known: true, value: asks });
  });

  test('a v2 tier asks when an azapi_update_resource sets enableClientCertificate on it', () => {
    const patch = {
      azapi_update_resource: {
        patch: { type: 'Microsoft.ApiManagement/service@2024-05-01', resource_id: '${azurerm_api_management.apim.id}', body: { properties: { enableClientCertificate: true } } },
      },
    };
    const svc = onlyService(readPlan(terraform(service({ sku_name: 'BasicV2_1', client_certificate_enabled: undefined }), patch)));
    expect(svc).toMatchObject({ mechanisms: ['azapi-enable-client-certificate'], asksForCertificates: { known: true, value: true } });
  });

  test('a custom domain negotiating client certificates turns negotiation on for a classic tier', () => {
    const domain = { azurerm_api_management_custom_domain: { d: { api_management_id: '${azurerm_api_management.apim.id}', gateway: [{ host_name: 'api.contoso.example', negotiate_client_certificate: true }] } } };
    expect(onlyService(readPlan(terraform(service({ sku_name: 'Standard_1', client_certificate_enabled: undefined }), domain))).asksForCertificates).toEqual({ known: true, value: true });
  });

  test.each([
    ['a SKU from a variable', { sku_name: '${var.sku}' }, 'sku_name is ${var.sku} (a variable)'],
    ['negotiation from a variable', { sku_name: 'Developer_1', hostname_configuration: { proxy: [{ host_name: 'h', negotiate_client_certificate: '${var.negotiate}' }] } }, 'negotiate_client_certificate is ${var.negotiate} (a variable)'],
  ])('%s is undecided', (_, config, reason) => {
    expect(onlyService(readPlan(terraform(service(config)))).asksForCertificates).toEqual({ known: false, reason });
  });
});

describe('values only Terraform can compute are undecided, with the reason', () => {
  const textOf = (xml: unknown, config: Record<string, unknown> = {}) => apiOf(readPlan(terraform(service(), api('orders'), apiPolicy('orders', xml as string, config))), 'orders-api').policy?.text;

  test.each([
    ['a variable in the middle of the text', policy('<set-backend-service base-url="${var.backend}" />'), '${var.backend} (a variable)'],
    ['a local value', policy('${local.gate}'), '${local.gate} (a local value)'],
    ['a template directive', policy('%{ if var.strict }<return-response />%{ endif }'), 'template directive %{if var.strict}'],
    ['a function call', '${file("policy.xml")}', '${file("policy.xml")}'],
    ['a computed attribute of a data source', policy('${data.azurerm_key_vault_secret.x.value}'), 'refers to data.azurerm_key_vault_secret.x, which is not in the configuration'],
    ['an unterminated interpolation', policy('${var.x'), 'unterminated interpolation'],
  ])('%s', (_, xml, reason) => {
    const text = textOf(xml);
    expect(text?.known).toBe(false);
    expect(text && !text.known && text.reason).toContain(reason);
  });

  test.each([
    ['count from a variable', { count: '${var.enabled ? 1 : 0}' }, 'count = ${var.enabled ? 1 : 0}'],
    ['count of 2', { count: 2 }, 'count = 2'],
    ['for_each', { for_each: '${var.apis}' }, 'for_each = ${var.apis}'],
    ['xml_link', { xml_link: 'https://example.com/policy.xml' }, 'xml_link https://example.com/policy.xml: the document is downloaded at apply'],
  ])('a policy with %s', (_, config, reason) => {
    expect(textOf(policy(''), config)).toEqual({ known: false, reason });
  });

  test('count = 0 removes the policy and count = 1 keeps it', () => {
    expect(textOf(policy(''), { count: 0 })).toBeUndefined();
    expect(textOf(policy(''), { count: '1' })).toEqual({ known: true, value: policy('') });
  });

  test('$${ and %%{ are escapes for the literal text', () => {
    expect(textOf(policy('<set-header name="x" exists-action="override"><value>$${x} %%{y}</value></set-header>'))).toEqual({
      known: true,
      value: policy('<set-header name="x" exists-action="override"><value>${x} %{y}</value></set-header>'),
    });
  });

  test('references to inputs of other resources resolve, also inside policy text', () => {
    const plan = readPlan(
      terraform(service(), api('orders'), backend('orders-backend'), apiPolicy('orders', policy('<set-backend-service backend-id="${azurerm_api_management_backend.orders-backend.name}" />'))),
    );
    expect(apiOf(plan, 'orders-api').policy?.text).toEqual({ known: true, value: policy('<set-backend-service backend-id="orders-backend" />') });
  });

  test('two policy resources for one API leave its policy undecided', () => {
    const plan = readPlan(terraform(service(), api('orders'), apiPolicy('orders', policy('')), apiPolicy('orders', policy(''), {}, 'second')));
    expect(apiOf(plan, 'orders-api').policy).toMatchObject({ address: 'azurerm_api_management_api_policy.orders_policy, azurerm_api_management_api_policy.second', text: { known: false } });
  });

  test('a module is listed as unreadable', () => {
    const plan = readPlan({ ...terraform(service()), module: { extra: { source: './apis' } } });
    expect(plan.unreadable).toEqual([{ address: 'module.extra', reason: 'module', kind: PlanIssueKind.MODULE, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
  });

  test('a policy whose API is an expression cannot be attached', () => {
    const plan = readPlan(terraform(service(), apiPolicy('orders', policy(''), { api_name: '${var.api}' })));
    expect(plan.unreadable).toEqual([{ address: 'azurerm_api_management_api_policy.orders_policy', reason: 'api_name is ${var.api} (a variable)' }]);
  });
});

describe('certificate thumbprints in policies', () => {
  const pinned = (text: string) => policy(`<validate-client-certificate><identities><identity thumbprint="${text}" /></identities></validate-client-certificate>`);

  test("a reference to a certificate's thumbprint is its claimed thumbprint", () => {
    const plan = readPlan(terraform(service(), api('orders'), certificate('partner', { thumbprint: PARTNER }), apiPolicy('orders', pinned('${azurerm_api_management_certificate.partner.thumbprint}'))));
    expect(apiOf(plan, 'orders-api').policy?.text).toEqual({ known: true, value: pinned(PARTNER) });
  });

  test('without claims it is a placeholder for that certificate, the same in every read', () => {
    const config = terraform(service(), api('orders'), certificate('partner'), apiPolicy('orders', pinned('${azurerm_api_management_certificate.partner.thumbprint}')));
    const plan = readPlan(config);
    const [cert] = onlyService(plan).certificates;
    expect(cert.thumbprintKnown).toBe(false);
    expect(cert.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(apiOf(plan, 'orders-api').policy?.text).toEqual({ known: true, value: pinned(cert.thumbprint) });
    expect(plan.symbols).toEqual([{ value: cert.thumbprint, kind: PlanSymbolKind.CERTIFICATE_THUMBPRINT, standsFor: 'azurerm_api_management_certificate.partner' }]);
    expect(readPlan(config)).toEqual(plan);
  });

  test('claimsFrom fills in the claims of the same certificate from another plan', () => {
    const withClaims = readPlan(terraform(service(), certificate('partner', { thumbprint: PARTNER })));
    const without = terraform(service(), certificate('partner', { inspected: false }), api('orders'), apiPolicy('orders', pinned('${azurerm_api_management_certificate.partner.thumbprint}')));
    const plan = readPlan(without, { claimsFrom: withClaims });
    expect(onlyService(plan).certificates[0]).toMatchObject({ thumbprint: PARTNER, thumbprintKnown: true });
    expect(apiOf(plan, 'orders-api').policy?.text).toEqual({ known: true, value: pinned(PARTNER) });
  });

  test('claims are read per resource and from the stack-level block; disagreement is recorded', () => {
    const json = terraform(service(), certificate('partner'));
    const stackLevel = { ...json, '//': { 'cdktf-apim-mtls': { resources: { 'azurerm_api_management_certificate.partner': { kind: 'certificate', source: 'pfx-file', inspected: true, thumbprint: PARTNER } } } } };
    expect(onlyService(readPlan(stackLevel)).certificates[0]).toMatchObject({ thumbprint: PARTNER, thumbprintKnown: true });
    const both = terraform(service(), certificate('partner', { thumbprint: PARTNER }));
    const conflicting = { ...both, '//': { 'cdktf-apim-mtls': { resources: { 'azurerm_api_management_certificate.partner': { kind: 'certificate', source: 'pfx-file', inspected: true, thumbprint: 'F'.repeat(40) } } } } };
    expect(onlyService(readPlan(conflicting)).certificates[0]).toMatchObject({ thumbprint: PARTNER, conflictingClaims: true });
  });
});

describe('operations', () => {
  const openapi = JSON.stringify({
    openapi: '3.0.1',
    paths: { '/orders': { get: { operationId: 'listOrders' }, post: {} }, '/orders/{id}': { delete: { operationId: 'deleteOrder' }, parameters: [] } },
  });

  test('an inline OpenAPI JSON import defines the operations, and an operation policy finds them by operationId', () => {
    const plan = readPlan(
      terraform(
        service(),
        api('orders', { import: { content_format: 'openapi+json', content_value: openapi } }),
        operationPolicy('orders', 'deleteOrder', policy(''), { operation_id: 'deleteorder' }),
      ),
    );
    const orders = apiOf(plan, 'orders-api');
    expect(orders.operations.map((o) => [o.key, o.source, o.policy !== undefined])).toEqual([
      ['DELETE /orders/{id}', 'import', true],
      ['GET /orders', 'import', false],
      ['POST /orders', 'import', false],
    ]);
    expect(orders.otherOperations).toBeUndefined();
  });

  test.each([
    ['a link', { content_format: 'openapi-link', content_value: 'https://example.com/openapi.json' }, 'its operations are defined by the import (openapi-link)'],
    ['content read from a file', { content_format: 'openapi+json', content_value: '${file("openapi.json")}' }, 'its operations are defined by the import, whose content is ${file("openapi.json")}'],
    ['WSDL', { content_format: 'wsdl', content_value: '<definitions />' }, 'its operations are defined by the import (wsdl)'],
  ])('an import of %s leaves the other operations undecided', (_, definition, reason) => {
    expect(apiOf(readPlan(terraform(service(), api('orders', { import: definition }))), 'orders-api').otherOperations).toBe(reason);
  });

  test('an API without operations may be called with any request', () => {
    expect(apiOf(readPlan(terraform(service(), api('orders'))), 'orders-api').otherOperations).toBe('the plan defines no operation for it');
  });

  test('a policy for an API outside the plan creates that API by name', () => {
    const plan = readPlan(terraform(service(), apiPolicy('x', policy(''), { api_name: 'billing' })));
    expect(apiOf(plan, 'billing')).toMatchObject({ path: { known: false }, otherOperations: 'the API is defined outside this plan', policy: { text: { known: true } } });
  });
});

describe('CA certificates', () => {
  test('a base64 DER certificate is kept; anything else is undecided', () => {
    const ca = issueCertificate({ subject: 'CN=Contoso Root', ca: true });
    const der = ca.x509.raw.toString('base64');
    const plan = readPlan(
      terraform(
        service({
          sku_name: 'Developer_1',
          certificate: [
            { encoded_certificate: der, store_name: 'Root' },
            { encoded_certificate: 'bm90IGEgY2VydGlmaWNhdGU=', store_name: 'Root' },
            { encoded_certificate: '${filebase64("ca.pfx")}', store_name: 'CertificateAuthority', certificate_password: '${var.p}' },
          ],
        }),
      ),
    );
    expect(onlyService(plan).caCertificates).toEqual([
      { store: { known: true, value: 'Root' }, der: { known: true, value: der } },
      { store: { known: true, value: 'Root' }, der: { known: false, reason: 'encoded_certificate is not a base64 DER certificate' } },
      { store: { known: true, value: 'CertificateAuthority' }, der: { known: false, reason: 'a PFX with a password' } },
    ]);
  });
});
