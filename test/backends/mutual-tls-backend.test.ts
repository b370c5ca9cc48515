import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnotationMetadataEntryType, TerraformStack } from 'cdktf';
import { CertificateSource, ClientCertGatedApi, ClientCertificateTrust, MutualTlsBackend, MutualTlsBackendProps, renderPolicyElement, Secret, UploadedCertificate } from '../../src';
import { backendRouting } from '../../src/backends/backend-routing';
import { newService, newStack, onlyResource, synthJson, warningsOf } from '../support/stack';
import { writePfx } from '../support/pfx';
import { issueCertificate, TestCertificate } from '../support/x509';
import { assertWellFormedXml, attributesOf, expectXmlSnapshot } from '../support/xml';

const ENV = 'BACKEND_PFX_PASSWORD';
const PASSWORD = 'backend-pfx-password';
const PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

beforeEach(() => {
  process.env[ENV] = PASSWORD;
});
afterEach(() => {
  delete process.env[ENV];
});

function pfxCertificate(stack: TerraformStack, apim: ReturnType<typeof newService>, file: string, id = 'GatewayClient') {
  return new UploadedCertificate(stack, id, {
    apiManagement: apim,
    source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }),
  });
}

function keyVaultCertificate(stack: TerraformStack, apim: ReturnType<typeof newService>, id = 'GatewayClient') {
  return new UploadedCertificate(stack, id, {
    apiManagement: apim,
    source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway-client'),
  });
}

function setup(kind: 'pfx' | 'key-vault', overrides: Partial<MutualTlsBackendProps> = {}, certificate?: TestCertificate) {
  const stack = newStack();
  const apim = newService(stack);
  const cert = certificate ?? issueCertificate({ subject: 'CN=gateway-client', issuer: issueCertificate({ subject: 'CN=Contoso CA', ca: true }) });
  const clientCertificate = kind === 'pfx' ? pfxCertificate(stack, apim, writePfx(cert, { password: PASSWORD })) : keyVaultCertificate(stack, apim);
  const backend = new MutualTlsBackend(stack, 'OrdersBackend', {
    apiManagement: apim,
    url: 'https://orders.internal.example.com/api',
    clientCertificate,
    ...overrides,
  });
  const api = new ClientCertGatedApi(stack, 'OrdersApi', {
    apiManagement: apim,
    displayName: 'Orders',
    path: 'orders',
    backend,
    trust: ClientCertificateTrust.thumbprints([PARTNER]),
  });
  return { stack, apim, cert, clientCertificate, backend, api };
}

describe('MutualTlsBackend with a PFX certificate', () => {
  test('also writes the certificate into the backend credentials, validation explicit and on', () => {
    const { stack, cert, backend } = setup('pfx');
    const json = synthJson(stack);
    const resource = onlyResource(json, 'azurerm_api_management_backend');
    const certificateKey = Object.keys(json.resource.azurerm_api_management_certificate)[0];
    expect(resource).toMatchObject({
      name: 'orders-backend',
      protocol: 'http',
      url: 'https://orders.internal.example.com/api',
      credentials: { certificate: [cert.thumbprint] },
      tls: { validate_certificate_chain: true, validate_certificate_name: true },
      depends_on: [`azurerm_api_management_certificate.${certificateKey}`],
    });
    expect(backend.backendId).toBe('orders-backend');
    expect(warningsOf(stack)).toEqual([]);
    expect({ ...resource, credentials: { certificate: ['<thumbprint>'] }, depends_on: ['<certificate>'] }).toMatchSnapshot();
  });

  test('the API routes to it with set-backend-service and presents the certificate by id from its policy', () => {
    // APIM sends a backend entity's certificate in the TLS handshake only when a policy names it.
    const { stack, api, clientCertificate: certificate } = setup('pfx');
    assertWellFormedXml(api.policyXml);
    expect(attributesOf(api.policyXml, 'set-backend-service')).toEqual([{ 'backend-id': 'orders-backend' }]);
    expect(attributesOf(api.policyXml, 'authentication-certificate')).toEqual([{ 'certificate-id': certificate.certificateId }]);
    expect(api.policyXml).toMatch(/<\/validate-client-certificate>\n\s+<set-backend-service /);
    // The certificate id carries a hash of the test's freshly generated PFX file.
    expectXmlSnapshot(__dirname, 'api-with-pfx-backend', api.policyXml.replace(certificate.certificateId, 'gateway-client-FILEHASH'));
    const json = synthJson(stack);
    const backendKey = Object.keys(json.resource.azurerm_api_management_backend)[0];
    const certificateKey = Object.keys(json.resource.azurerm_api_management_certificate)[0];
    expect(onlyResource(json, 'azurerm_api_management_api_policy').depends_on).toEqual([
      `azurerm_api_management_certificate.${certificateKey}`,
      `azurerm_api_management_backend.${backendKey}`,
    ]);
    expect(onlyResource(json, 'azurerm_api_management_api').service_url).toBeUndefined();
  });

  test('rotating the PFX updates the backend in place after the new certificate exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-backend-rotation-'));
    const path = join(dir, 'gateway.pfx');
    const synthWith = (cert: TestCertificate) => {
      copyFileSync(writePfx(cert, { password: PASSWORD }), path);
      const stack = newStack();
      const apim = newService(stack);
      new MutualTlsBackend(stack, 'OrdersBackend', { apiManagement: apim, url: 'https://orders.example.com', clientCertificate: pfxCertificate(stack, apim, path) });
      return synthJson(stack);
    };
    const oldCert = issueCertificate({ subject: 'CN=gateway' });
    const newCert = issueCertificate({ subject: 'CN=gateway' });
    const before = synthWith(oldCert);
    const after = synthWith(newCert);
    const [backendAddress, oldBackend] = Object.entries<any>(before.resource.azurerm_api_management_backend)[0];
    const [sameAddress, newBackend] = Object.entries<any>(after.resource.azurerm_api_management_backend)[0];
    expect(sameAddress).toBe(backendAddress);
    // Only the thumbprint changes: name, url and tls stay, so the backend updates in place.
    expect({ ...newBackend, credentials: undefined }).toEqual({ ...oldBackend, credentials: undefined });
    expect(oldBackend.credentials.certificate).toEqual([oldCert.thumbprint]);
    expect(newBackend.credentials.certificate).toEqual([newCert.thumbprint]);
    const certificate = onlyResource(after, 'azurerm_api_management_certificate');
    expect(certificate.lifecycle).toEqual({ create_before_destroy: true });
    expect(newBackend.depends_on).toEqual([`azurerm_api_management_certificate.${Object.keys(after.resource.azurerm_api_management_certificate)[0]}`]);
  });
});

describe('MutualTlsBackend with a Key Vault certificate', () => {
  test('the backend has no thumbprint; the API policy presents the certificate by id', () => {
    const { stack, api } = setup('key-vault');
    const json = synthJson(stack);
    const resource = onlyResource(json, 'azurerm_api_management_backend');
    expect(resource.credentials).toBeUndefined();
    expect(resource).toMatchSnapshot();
    expect(attributesOf(api.policyXml, 'authentication-certificate')).toEqual([{ 'certificate-id': 'gateway-client' }]);
    expect(api.policyXml).not.toMatch(/authentication-certificate thumbprint/);
    expectXmlSnapshot(__dirname, 'api-with-key-vault-backend', api.policyXml);
    const dependsOn = onlyResource(json, 'azurerm_api_management_api_policy').depends_on;
    expect([...dependsOn].sort()).toEqual(
      [
        `azurerm_api_management_backend.${Object.keys(json.resource.azurerm_api_management_backend)[0]}`,
        `azurerm_api_management_certificate.${Object.keys(json.resource.azurerm_api_management_certificate)[0]}`,
      ].sort(),
    );
  });
});

describe('validation switches', () => {
  test('turning chain or name validation off is allowed and warned, naming the backend', () => {
    const { stack } = setup('key-vault', { validateCertificateChain: false, validateCertificateName: false });
    const resource = onlyResource(synthJson(stack), 'azurerm_api_management_backend');
    expect(resource.tls).toEqual({ validate_certificate_chain: false, validate_certificate_name: false });
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/^validateCertificateChain is false on backend "orders-backend" \(https:\/\/orders.internal.example.com\/api\)/),
      expect.stringMatching(/^validateCertificateName is false on backend "orders-backend"/),
    ]);
  });

  test('a self-signed client certificate with chain validation on gets a hint about the server certificate', () => {
    const { stack } = setup('pfx', {}, issueCertificate({ subject: 'CN=self-signed-gateway' }));
    const infos = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === AnnotationMetadataEntryType.INFO).map((m) => String(m.data));
    expect(infos).toContainEqual(expect.stringContaining('If the backend\'s server certificate is self-signed too, API Management answers 500 while validateCertificateChain is true'));
    const { stack: quiet } = setup('pfx', { validateCertificateChain: false }, issueCertificate({ subject: 'CN=self-signed-gateway' }));
    expect(quiet.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === AnnotationMetadataEntryType.INFO)).toEqual([]);
  });
});

describe('bad input', () => {
  test.each<[string, Partial<MutualTlsBackendProps>, RegExp]>([
    ['plain http', { url: 'http://orders.example.com' }, /^test\/OrdersBackend: url "http:\/\/orders.example.com" is not an https:\/\/ URL\. .*over plain HTTP it protects nothing/],
    ['not a URL', { url: 'orders' }, /url "orders" is not an absolute URL/],
    ['credentials in the URL', { url: 'https://u:p@orders.example.com' }, /contains credentials/],
    ['Terraform interpolation in the URL', { url: 'https://orders.example.com/${var.x}' }, /contains "\$\{" or "%\{", which Terraform would interpolate/],
    ['a bad backend id', { name: 'orders backend' }, /^test\/OrdersBackend: name "orders backend" is not a valid backend id/],
    ['a right-to-left override in the description', { description: 'Orders \u202Ekcabdne' }, /^test\/OrdersBackend: description .*U\+202E/],
  ])('%s', (_label, overrides, message) => {
    expect(() => setup('key-vault', overrides)).toThrow(message);
  });

  test('a certificate uploaded to another service', () => {
    const stack = newStack();
    const apim = newService(stack);
    const other = newService(stack, 'Consumption_0', 'OtherApim');
    const certificate = keyVaultCertificate(stack, other);
    expect(() => new MutualTlsBackend(stack, 'B', { apiManagement: apim, url: 'https://b.example.com', clientCertificate: certificate })).toThrow(
      /^test\/B: clientCertificate test\/GatewayClient is uploaded to test\/OtherApim, not to this backend's service test\/Apim/,
    );
  });

  test('an API with a backend of another service, or with both or neither of backend and serviceUrl', () => {
    const stack = newStack();
    const apim = newService(stack);
    const other = newService(stack, 'Consumption_0', 'OtherApim');
    const backend = new MutualTlsBackend(stack, 'B', { apiManagement: other, url: 'https://b.example.com', clientCertificate: keyVaultCertificate(stack, other) });
    const base = { apiManagement: apim, displayName: 'A', path: 'a', trust: ClientCertificateTrust.uploadedCertificates() };
    expect(() => new ClientCertGatedApi(stack, 'A1', { ...base, backend })).toThrow(/^test\/A1: backend test\/B belongs to test\/OtherApim, not to this API's service test\/Apim/);
    expect(() => new ClientCertGatedApi(stack, 'A2', { ...base, apiManagement: other, backend, serviceUrl: 'https://b.example.com' })).toThrow(/^test\/A2: give either backend or serviceUrl, not both/);
    expect(() => new ClientCertGatedApi(stack, 'A3', base)).toThrow(/^test\/A3: give a backend \(a MutualTlsBackend\) or a serviceUrl/);
  });
});

test('backendRouting renders set-backend-service and, when asked, authentication-certificate by id', () => {
  const xml = backendRouting({ backendId: 'b', clientCertificateId: 'c' }).map(renderPolicyElement).join('');
  expect(xml).toBe('<set-backend-service backend-id="b" />\n<authentication-certificate certificate-id="c" />\n');
});

test('an API trusting every uploaded certificate is warned when a backend certificate is uploaded to the same service', () => {
  const stack = newStack();
  const apim = newService(stack);
  new ClientCertGatedApi(stack, 'OpenApi', {
    apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com',
    trust: ClientCertificateTrust.uploadedCertificates(),
  });
  // Defined after the API: the check runs at synth.
  new MutualTlsBackend(stack, 'B', { apiManagement: apim, url: 'https://b.example.com', clientCertificate: keyVaultCertificate(stack, apim) });
  synthJson(stack);
  expect(warningsOf(stack)).toEqual([
    expect.stringMatching(/^trust is ClientCertificateTrust.uploadedCertificates\(\), which also admits callers presenting the backend client certificate\(s\) "gateway-client"/),
  ]);
  // Once per synth, however often the stack is synthesized.
  synthJson(stack);
  expect(warningsOf(stack)).toHaveLength(1);
});
