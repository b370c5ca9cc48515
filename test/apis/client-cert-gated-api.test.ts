import { Testing, TerraformVariable } from 'cdktf';
import {
  ApiManagementService,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertGatedApiProps,
  ClientCertificateTrust,
  GateStyle,
  Secret,
  UploadedCertificate,
} from '../../src';
import { GUARDED_URL_PATTERN } from '../../src/policy/terraform-guard';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';
import { newService, newStack, onlyResource, synthJson, synthText, warningsOf } from '../support/stack';
import { assertWellFormedXml, attributesOf } from '../support/xml';

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
    ).toThrow(/^test\/Api: trusted certificate test\/Kv is uploaded to test\/OtherApim, not to this API's service test\/Apim/);
  });
});

function conditionText(xml: string): string {
  const [when] = attributesOf(xml, 'when');
  return when.condition.slice(2, -1);
}
