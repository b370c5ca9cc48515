import { CertificateSource, ClientCertGatedApi, ClientCertificateTrust, GateStyle, MutualTlsBackend, UploadedCertificate } from '../../../src';
import { SimulatedOutcome, simulatePolicy } from '../../../src/policy/simulator';
import { newService, newStack, onlyResource, synthJson } from '../../support/stack';
import { testPki } from './fixtures';

/*
 * The workflow a user follows to test their own stack: synthesize it, take the policy Terraform
 * will write (`xml_content` of azurerm_api_management_api_policy), and simulate requests.
 */

test.each([GateStyle.VALIDATE_POLICY, GateStyle.EXPRESSION])('a synthesized API policy (%s) admits only its partner', (gateStyle) => {
  const p = testPki();
  const stack = newStack();
  new ClientCertGatedApi(stack, 'PartnerApi', {
    apiManagement: newService(stack),
    displayName: 'Partner API',
    path: 'partners',
    serviceUrl: 'https://backend.example.com/api',
    trust: ClientCertificateTrust.thumbprints([p.trusted.thumbprint]),
    gateStyle,
  });
  const policy: string = onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').xml_content;

  expect(simulatePolicy(policy, { clientCertificate: p.trusted.x509 })).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, notSimulated: [] });
  for (const caller of [undefined, p.unknown, p.expired, p.selfSigned]) {
    expect(simulatePolicy(policy, { clientCertificate: caller?.x509 })).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
  }
});

test('a synthesized API with a Key Vault backend certificate forwards to the backend and presents it by id', () => {
  const p = testPki();
  const stack = newStack();
  const apiManagement = newService(stack);
  const clientCertificate = new UploadedCertificate(stack, 'GatewayClient', {
    apiManagement,
    name: 'gateway-client',
    source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway-client'),
  });
  const backend = new MutualTlsBackend(stack, 'Orders', { apiManagement, url: 'https://orders.internal.example', clientCertificate, name: 'orders' });
  new ClientCertGatedApi(stack, 'PartnerApi', {
    apiManagement,
    displayName: 'Partner API',
    path: 'partners',
    backend,
    trust: ClientCertificateTrust.thumbprints([p.trusted.thumbprint]),
  });
  const policy: string = onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').xml_content;

  const admitted = simulatePolicy(policy, { clientCertificate: p.trusted.x509, uploadedCertificates: { 'gateway-client': p.selfSigned.x509 } });
  expect(admitted).toMatchObject({
    outcome: SimulatedOutcome.FORWARDED,
    backendId: 'orders',
    backendCertificate: { certificateId: 'gateway-client', thumbprint: p.selfSigned.thumbprint },
    notSimulated: [],
  });
  expect(simulatePolicy(policy, { clientCertificate: p.unknown.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
});

test('the simulator is part of the package API', async () => {
  const root = await import('../../../src');
  expect(root.simulatePolicy).toBe(simulatePolicy);
  expect(root.SimulatedOutcome.FORWARDED).toBe(SimulatedOutcome.FORWARDED);
  expect(typeof root.SimulatedCertificate.of).toBe('function');
});
