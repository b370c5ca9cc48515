import { Testing, TerraformVariable } from 'cdktf';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiDefinition, ApiDefinitionFormat, ApiManagementService, CertificateSource, CustomPolicy, ClientCertGatedApi, ClientCertGatedApiProps, ClientCertificateTrust, GateStyle, Secret, UploadedCertificate } from '../../src';
import { ROUTED_BY_POLICY_URL } from '../../src/apis/client-cert-gated-api';
import { GUARDED_URL_PATTERN } from '../../src/policy/terraform-guard';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';
import { newService, newStack, onlyResource, synthJson, synthText, warningsOf } from '../support/stack';
import { synthesized } from '../support/synthesized';
import { assertWellFormedXml, attributesOf } from '../support/xml';
import { SimulatedCertificate, SimulatedOutcome, simulatePolicy } from '../../src/policy/simulator';

const PARTNER_A = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

function gatedApi(overrides: Partial<ClientCertGatedApiProps> = {}, sku = 'Consumption_0') {
  const stack = newStack();
  const apim = newService(stack, sku);
  const api = new ClientCertGatedApi(stack, 'PartnerApi', {
    apiManagement: apim,
    displayName: 'Partner API',
    path: 'partners',
    serviceUrl: 'https://backend.example.com/api',
    trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
    ...overrides,
  });
  return { stack, apim, api };
}

describe('ClientCertGatedApi', () => {
  test('creates the API on the service, https only, with the gate in its inbound policy', () => {
    const { stack, api } = gatedApi();
    const text = synthText(stack);
    expect(Testing.toHaveResourceWithProperties(text, 'azurerm_api_management_api', {
      name: 'partner-api',
      display_name: 'Partner API',
      path: 'partners',
      protocols: ['https'],
      revision: '1',
      subscription_required: true,
    })).toBe(true);
    const json = JSON.parse(text);
    const apiResource = onlyResource(json, 'azurerm_api_management_api');
    const serviceKey = Object.keys(json.resource.azurerm_api_management)[0];
    // References, not literals: Terraform creates the service first.
    expect(apiResource.api_management_name).toBe(`\${azurerm_api_management.${serviceKey}.name}`);
    expect(apiResource.resource_group_name).toBe(`\${azurerm_api_management.${serviceKey}.resource_group_name}`);

    const policy = onlyResource(json, 'azurerm_api_management_api_policy');
    const apiKey = Object.keys(json.resource.azurerm_api_management_api)[0];
    expect(policy.api_name).toBe(`\${azurerm_api_management_api.${apiKey}.name}`);
    expect(policy.xml_content).toBe(api.policyXml);
    assertWellFormedXml(policy.xml_content);
    expect(attributesOf(policy.xml_content, 'identity')).toEqual([{ thumbprint: PARTNER_A }]);
    expect(policy.xml_content).toMatch(/<inbound>\n\s+<base \/>\n\s+<validate-client-certificate /);
    // The policy routes, not the API: without its gate the API forwards nowhere.
    expect(apiResource.service_url).toBeUndefined();
    expect(attributesOf(policy.xml_content, 'set-backend-service')).toEqual([{ 'base-url': 'https://backend.example.com/api' }]);
    expect(policy.xml_content).toMatch(/<\/validate-client-certificate>\n\s+<set-backend-service /);
    expect(warningsOf(stack)).toEqual([]);
  });

  test('passes gate options through: expression style with its reply', () => {
    const { api } = gatedApi({ gateStyle: GateStyle.EXPRESSION, rejectStatusCode: 403, rejectReason: 'Nope' });
    expect(attributesOf(api.policyXml, 'set-status')).toEqual([{ code: '403', reason: 'Nope' }]);
    expect(api.policyXml).toContain(`context.Request.Certificate.Thumbprint != "${PARTNER_A}"`);
  });

  test('an explicit name is used as is', () => {
    const { stack } = gatedApi({ name: 'partners-v1' });
    expect(onlyResource(synthJson(stack), 'azurerm_api_management_api').name).toBe('partners-v1');
  });

  test('on a v2 service the policy waits for the azapi client-certificate setting', () => {
    const { stack } = gatedApi({}, 'StandardV2_1');
    const json = synthJson(stack);
    const patchKey = Object.keys(json.resource.azapi_update_resource)[0];
    expect(onlyResource(json, 'azurerm_api_management_api_policy').depends_on).toEqual([`azapi_update_resource.${patchKey}`]);
  });

  test('works on an existing service with literal names', () => {
    const stack = newStack();
    const shared = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg-shared', skuName: 'Developer_1' });
    new ClientCertGatedApi(stack, 'Api', { apiManagement: shared, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.uploadedCertificates() });
    const json = synthJson(stack);
    expect(onlyResource(json, 'azurerm_api_management_api')).toMatchObject({ api_management_name: 'shared-apim', resource_group_name: 'rg-shared' });
    expect(json.resource.azurerm_api_management).toBeUndefined();
  });

  test('a service URL from a Terraform variable reaches the policy only through a regex() guard', () => {
    const stack = newStack();
    const url = new TerraformVariable(stack, 'backend_url', { type: 'string' });
    new ClientCertGatedApi(stack, 'Api', { apiManagement: newService(stack), displayName: 'A', path: 'a', serviceUrl: url.stringValue, trust: ClientCertificateTrust.uploadedCertificates() });
    const policy = onlyResource(synthJson(stack), 'azurerm_api_management_api_policy');
    expect(policy.xml_content).toContain(`<set-backend-service base-url="\${regex("${GUARDED_URL_PATTERN}", var.backend_url)}" />`);
  });

  test('catch-all operations answer every path, each created only after the gate', () => {
    const { stack, api } = gatedApi();
    const json = synthJson(stack);
    const policyKey = Object.keys(json.resource.azurerm_api_management_api_policy)[0];
    const apiKey = Object.keys(json.resource.azurerm_api_management_api)[0];
    const operations = Object.values<any>(json.resource.azurerm_api_management_api_operation);
    expect(operations.map((o) => o.method).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    for (const operation of operations) {
      expect(operation).toMatchObject({
        url_template: '/*',
        api_name: `\${azurerm_api_management_api.${apiKey}.name}`,
        depends_on: [`azurerm_api_management_api_policy.${policyKey}`],
      });
    }
    expect(api.operations).toHaveLength(7);
  });

  test('catch-all operations can be left out for your own', () => {
    const { stack, api } = gatedApi({ createCatchAllOperations: false });
    expect(synthJson(stack).resource.azurerm_api_management_api_operation).toBeUndefined();
    expect(api.operations).toEqual([]);
  });
});

describe('warnings for insecure or doubtful choices', () => {
  test('turning off the validity check', () => {
    const { stack } = gatedApi({ checkValidityPeriod: false });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('checkValidityPeriod is false: expired and not-yet-valid client certificates are admitted')]);
  });

  test('a plain http backend', () => {
    const { stack } = gatedApi({ serviceUrl: 'http://backend.example.com' });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('is plain http')]);
  });

  test('no subscription key required: written to the API and warned', () => {
    const { stack } = gatedApi({ subscriptionRequired: false });
    expect(onlyResource(synthJson(stack), 'azurerm_api_management_api').subscription_required).toBe(false);
    expect(warningsOf(stack)).toEqual([expect.stringContaining('subscriptionRequired is false: anyone holding an acceptable client certificate calls this API without a subscription key')]);
  });

  test('chain verification on Consumption, where no CA can be uploaded', () => {
    const { stack } = gatedApi({ verifyChain: true });
    expect(warningsOf(stack)).toEqual([expect.stringContaining('verifyChain is true but service test/Apim has no CA certificates uploaded (Consumption cannot have any)')]);
  });
});

describe('bad input fails synth with the construct path, the value and the fix', () => {
  test.each<[string, Partial<ClientCertGatedApiProps>, RegExp]>([
    ['a path with illegal characters', { path: 'partners/<script>' }, /^test\/PartnerApi: path "partners\/<script>" may contain only letters/],
    ['a path with a leading slash', { path: '/partners' }, /^test\/PartnerApi: path "\/partners" must not start or end with "\/"\. Write it as "partners"/],
    ['an empty path', { path: '' }, /^test\/PartnerApi: path "" must not be empty/],
    ['a path with a space', { path: 'partner api' }, /path "partner api" may contain only/],
    ['a relative service URL', { serviceUrl: 'backend/api' }, /^test\/PartnerApi: serviceUrl "backend\/api" is not an absolute URL/],
    ['an ftp service URL', { serviceUrl: 'ftp://backend.example.com' }, /serviceUrl "ftp:\/\/backend.example.com" uses "ftp:"/],
    ['credentials in the service URL', { serviceUrl: 'https://user:pw@backend.example.com' }, /contains credentials, which would be written to cdk.tf.json/],
    ['a query string in the service URL', { serviceUrl: 'https://backend.example.com/?code=x' }, /has a query string or fragment/],
    ['plain http protocol', { protocols: ['http', 'https'] }, /^test\/PartnerApi: protocols contains "http"\. Client certificates are presented only over TLS/],
    ['no protocols', { protocols: [] }, /protocols is empty/],
    ['a bad API name', { name: 'partners api' }, /^test\/PartnerApi: name "partners api" is not a valid API name/],
    ['a display name with interpolation', { displayName: 'x ${var.secret}' }, /displayName "x \$\{var.secret\}" is not usable/],
    ['an issuer that is not a DN', { issuer: 'Contoso' }, /^test\/PartnerApi: issuer "Contoso" is not a distinguished name/],
    ['a subject with a control character', { subject: 'CN=a\u0000' }, /^test\/PartnerApi: subject "CN=a\\u0000" contains a control character/],
    ['a reject reason on the validate style', { rejectReason: 'x' }, /^test\/PartnerApi: rejectStatusCode and rejectReason apply only to GateStyle.EXPRESSION/],
    ['a 200 reject status', { gateStyle: GateStyle.EXPRESSION, rejectStatusCode: 200 }, /^test\/PartnerApi: rejectStatusCode 200 is not a client error status/],
    ['a reason with a newline', { gateStyle: GateStyle.EXPRESSION, rejectReason: 'a\r\nX-Injected: 1' }, /^test\/PartnerApi: rejectReason "a\\r\\nX-Injected: 1" contains a line break/],
  ])('%s', (_label, overrides, message) => {
    expect(() => gatedApi(overrides)).toThrow(message);
  });

  test('an issuer with quotes is not an error: quotes are legal in a DN and are encoded', () => {
    const { api } = gatedApi({ issuer: 'CN=a") || true', gateStyle: GateStyle.EXPRESSION });
    assertWellFormedXml(api.policyXml);
    expect(api.policyXml).toContain('Issuer != "CN=a\\u0022) || true"');
  });

  test('bad thumbprints and empty trust lists are reported with the construct path and the value', () => {
    expect(() => gatedApi({ trust: ClientCertificateTrust.thumbprints(['12:34']) })).toThrow(/^test\/PartnerApi: "12:34" is not a SHA-1 certificate thumbprint/);
    expect(() => gatedApi({ trust: ClientCertificateTrust.thumbprints([]) })).toThrow(/^test\/PartnerApi: ClientCertificateTrust.thumbprints\(\[\]\) trusts no certificate/);
    expect(() => gatedApi({ trust: ClientCertificateTrust.certificates([]) })).toThrow(/^test\/PartnerApi: ClientCertificateTrust.certificates\(\[\]\) trusts no certificate/);
  });
});

describe('trusting uploaded certificates', () => {
  const ENV = 'GATED_API_PFX_PASSWORD';
  const PASSWORD = 'pfx-password';
  beforeEach(() => {
    process.env[ENV] = PASSWORD;
  });
  afterEach(() => {
    delete process.env[ENV];
  });

  function withCertificates(style?: GateStyle) {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const cert = issueCertificate({ subject: 'CN=partner-pfx' });
    const pfx = new UploadedCertificate(stack, 'PartnerPfx', {
      apiManagement: apim,
      source: CertificateSource.fromPfxFile(writePfx(cert, { password: PASSWORD }), { password: Secret.fromEnvironment(ENV) }),
    });
    const kv = new UploadedCertificate(stack, 'PartnerKv', {
      apiManagement: apim,
      source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/partner-kv'),
    });
    const api = new ClientCertGatedApi(stack, 'Api', {
      apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com',
      trust: ClientCertificateTrust.certificates([pfx, kv]),
      gateStyle: style,
    });
    return { stack, api, cert, pfx, kv };
  }

  test('a PFX certificate is pinned by its literal thumbprint, a Key Vault one matched by id', () => {
    const { api, cert } = withCertificates(GateStyle.EXPRESSION);
    expect(conditionText(api.policyXml)).toBe(
      `context.Request.Certificate == null || !(context.Request.Certificate.Thumbprint == "${cert.thumbprint}" || ` +
        'context.Deployment.Certificates.Any(c => !(c.Key != "partner-kv" || c.Value.Thumbprint != context.Request.Certificate.Thumbprint))) || ' +
        'DateTime.Now > context.Request.Certificate.NotAfter || context.Request.Certificate.NotBefore > DateTime.Now',
    );
  });

  test('validate style: membership as an expression, checks for members', () => {
    const { api, cert } = withCertificates();
    expect(conditionText(api.policyXml)).toContain(`Thumbprint == "${cert.thumbprint}"`);
    expect(api.policyXml).toMatch(/<otherwise>\s*<validate-client-certificate /);
    expect(api.policyXml).not.toContain('<identity');
  });

  test('only PFX certificates: one identity each, no expression', () => {
    const stack = newStack();
    const apim = newService(stack);
    const cert = issueCertificate({ subject: 'CN=only-pfx' });
    const pfx = new UploadedCertificate(stack, 'Pfx', {
      apiManagement: apim,
      source: CertificateSource.fromPfxFile(writePfx(cert, { password: PASSWORD }), { password: Secret.fromEnvironment(ENV) }),
    });
    const api = new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.certificates([pfx]) });
    expect(attributesOf(api.policyXml, 'identity')).toEqual([{ thumbprint: cert.thumbprint }]);
  });

  test('the policy depends on the certificates it names', () => {
    const { stack } = withCertificates();
    const json = synthJson(stack);
    const certificateKeys = Object.keys(json.resource.azurerm_api_management_certificate).sort();
    const dependsOn = onlyResource(json, 'azurerm_api_management_api_policy').depends_on;
    expect([...dependsOn].sort()).toEqual(certificateKeys.map((k) => `azurerm_api_management_certificate.${k}`));
  });

  test('no empty depends_on when nothing needs ordering', () => {
    const { stack } = gatedApi();
    expect(onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').depends_on).toBeUndefined();
  });

  test('a certificate uploaded to another service is refused', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const other = newService(stack, 'Developer_1', 'OtherApim');
    const kv = new UploadedCertificate(stack, 'Kv', { apiManagement: other, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/x') });
    expect(() =>
      new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.certificates([kv]) }),
    ).toThrow(/^test\/Api: trusted certificate test\/Kv is uploaded to test\/OtherApim, not to this gate's service test\/Apim/);
  });
});

function conditionText(xml: string): string {
  const [when] = attributesOf(xml, 'when');
  return when.condition.slice(2, -1);
}

describe('an API imported from a definition', () => {
  const OPENAPI = JSON.stringify({
    openapi: '3.0.1',
    info: { title: 'Orders', version: '1', description: 'Costs ${price} per %{unit}' },
    servers: [{ url: 'https://orders.public.example.com' }],
    paths: { '/orders/{id}': { get: { operationId: 'get-order', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } } },
  });

  test('gets the import block, no catch-all operations, and a service URL that never resolves', () => {
    const { stack, api } = gatedApi({ definition: ApiDefinition.openApi(OPENAPI) });
    const plan = synthesized(stack);
    const resource = plan.only('azurerm_api_management_api').values;
    expect(resource.import).toEqual({ content_format: 'openapi+json', content_value: OPENAPI.replace('${', () => '$${').replace('%{', () => '%%{') });
    // The document's server is never called: the policy routes, and only after the gate.
    expect(resource.service_url).toBe(ROUTED_BY_POLICY_URL);
    expect(attributesOf(api.policyXml, 'set-backend-service')).toEqual([{ 'base-url': 'https://backend.example.com/api' }]);
    expect(plan.all('azurerm_api_management_api_operation')).toEqual([]);
    expect(api.operations).toEqual([]);
  });

  test('catch-all operations can still be asked for', () => {
    const { api } = gatedApi({ definition: ApiDefinition.openApi(OPENAPI), createCatchAllOperations: true });
    expect(api.operations).toHaveLength(7);
  });

  test.each<[string, ApiDefinition, string]>([
    ['YAML OpenAPI', ApiDefinition.openApi('openapi: 3.0.1\ninfo:\n  title: Orders\n  version: "1"\npaths: {}\n'), 'openapi'],
    ['Swagger 2 JSON', ApiDefinition.openApi('{"swagger":"2.0","info":{"title":"a","version":"1"},"paths":{}}'), 'swagger-json'],
    ['an OpenAPI link', ApiDefinition.openApiLink('https://specs.example.com/orders.yaml'), 'openapi-link'],
    ['a WSDL with a selector', ApiDefinition.of(ApiDefinitionFormat.WSDL, '<definitions />', { wsdlSelector: { serviceName: 'Orders', endpointName: 'OrdersSoap' } }), 'wsdl'],
  ])('%s is imported with its format', (_label, definition, format) => {
    const { stack } = gatedApi({ definition });
    expect(synthesized(stack).only('azurerm_api_management_api').values.import.content_format).toBe(format);
  });

  test.each<[string, () => ApiDefinition, RegExp]>([
    ['a link that is not https', () => ApiDefinition.openApiLink('http://specs.example.com/a.yaml'), /^test\/PartnerApi: definition URL "http:\/\/specs.example.com\/a.yaml" is not an https:\/\/ URL/],
    ['an empty document', () => ApiDefinition.openApi(' '), /^test\/PartnerApi: definition is empty/],
    ['a WSDL selector on OpenAPI', () => ApiDefinition.of(ApiDefinitionFormat.OPENAPI, 'a: b', { wsdlSelector: { serviceName: 'a', endpointName: 'b' } }), /definition has a wsdlSelector, which applies only to WSDL formats/],
    ['a WSDL selector with a Terraform interpolation', () => ApiDefinition.of(ApiDefinitionFormat.WSDL, '<definitions />', { wsdlSelector: { serviceName: '${var.svc}', endpointName: 'b' } }), /^test\/PartnerApi: definition wsdlSelector.serviceName "\$\{var.svc\}" is not a WSDL service name/],
    ['an empty WSDL endpoint name', () => ApiDefinition.of(ApiDefinitionFormat.WSDL, '<definitions />', { wsdlSelector: { serviceName: 'Orders', endpointName: ' ' } }), /^test\/PartnerApi: definition wsdlSelector.endpointName " " is not a WSDL endpoint name/],
    ['a missing file', () => ApiDefinition.openApiFile('/nonexistent/orders.yaml'), /^test\/PartnerApi: definition file "\/nonexistent\/orders.yaml" cannot be read \(ENOENT\)/],
  ])('%s is refused with the construct path', (_label, definition, message) => {
    expect(() => gatedApi({ definition: definition() })).toThrow(message);
  });
});

describe('operations and custom policy of a gated API', () => {
  test('operations defined elsewhere in the stack wait for the gate', () => {
    const { stack, apim, api } = gatedApi({ createCatchAllOperations: false });
    new ApiManagementApiOperation(stack, 'GetOrder', {
      apiName: api.api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName,
      operationId: 'get-order', displayName: 'Get order', method: 'GET', urlTemplate: '/orders',
    });
    const plan = synthesized(stack);
    expect(plan.only('azurerm_api_management_api_operation').values.depends_on).toEqual([plan.only('azurerm_api_management_api_policy').address]);
  });

  test('the user\'s rate limit runs after the gate and before the routing', () => {
    const { api } = gatedApi({ customPolicy: CustomPolicy.fromXml('<policies><inbound><base /><rate-limit calls="10" renewal-period="60" /></inbound></policies>') });
    expect(api.policyXml).toMatch(/<base \/>\n\s+<validate-client-certificate [^]*<\/validate-client-certificate>\n\s+<rate-limit calls="10" renewal-period="60" \/>\n\s+<set-backend-service /);
    const partner = SimulatedCertificate.fromFacts({ thumbprint: PARTNER_A, subject: 'CN=a', issuer: 'CN=b', notBefore: new Date('2020-01-01'), notAfter: new Date('2040-01-01') });
    expect(simulatePolicy(api.policyXml, {}).outcome).toBe(SimulatedOutcome.REJECTED);
    expect(simulatePolicy(api.policyXml, { clientCertificate: partner })).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendUrl: 'https://backend.example.com/api' });
  });

  test('a custom policy that routes or answers before the gate is refused with the construct path', () => {
    expect(() => gatedApi({ customPolicy: CustomPolicy.fromXml('<policies><inbound><base /><set-backend-service base-url="https://evil.example.com" /></inbound></policies>') })).toThrow(
      /^test\/PartnerApi: customPolicy \(XML\)|^test\/PartnerApi: <set-backend-service> in <inbound> would override where the construct routes/,
    );
    expect(() => gatedApi({ customPolicy: CustomPolicy.fromXml('<policies><inbound><mock-response status-code="200" /><base /></inbound></policies>') })).toThrow(
      /^test\/PartnerApi: <mock-response> before <base \/> in <inbound> would run before the client-certificate gate/,
    );
  });
});
