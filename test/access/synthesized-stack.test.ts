import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { CertificateSource, ClientCertGatedApi, ClientCertificateTrust, GateStyle, MutualTlsBackend, Secret, UploadedCertificate } from '../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../src/certificates/synth-secrets';
import { accessMatrix, AccessMatrix } from '../../src/access';
import { readPlan } from '../../src/plan';
import { writePfx } from '../support/pfx';
import { newService } from '../support/stack';
import { issueCertificate } from '../support/x509';
import { verdictOf } from './support';

const NOW = new Date();
const ENV = 'ACCESS_TEST_PFX_PASSWORD';
const partnerCertificate = issueCertificate({ subject: 'CN=partner-a, O=Partner A' });
const pfx = writePfx(partnerCertificate, { password: 'pw' });

/** The address of the resource a construct path names, as cdktf derives it. */
function addressOf(json: any, type: string, path: string): string {
  const [name] = Object.entries<any>(json.resource[type]).find(([, config]) => config['//'].metadata.path === path)!;
  return `${type}.${name}`;
}

/** Two gated APIs: orders pins the partner's PFX, inventory trusts any uploaded certificate. */
function gateway(withPassword: boolean, app = Testing.app()): TerraformStack {
  if (withPassword) process.env[ENV] = 'pw';
  else process.env[SYNTH_WITHOUT_SECRETS] = '1';
  try {
    const stack = new TerraformStack(app, 'gateway');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const apim = newService(stack);
    const partner = new UploadedCertificate(stack, 'Partner', { apiManagement: apim, source: CertificateSource.fromPfxFile(pfx, { password: Secret.fromEnvironment(ENV) }) });
    const gatewayClient = new UploadedCertificate(stack, 'GatewayClient', {
      apiManagement: apim,
      source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway-client'),
    });
    const backend = new MutualTlsBackend(stack, 'OrdersBackend', { apiManagement: apim, url: 'https://orders.internal.contoso.example', clientCertificate: gatewayClient });
    new ClientCertGatedApi(stack, 'Orders', { apiManagement: apim, displayName: 'Orders', path: 'orders', backend, trust: ClientCertificateTrust.certificates([partner]) });
    new ClientCertGatedApi(stack, 'Inventory', {
      apiManagement: apim,
      displayName: 'Inventory',
      path: 'inventory',
      serviceUrl: 'https://inventory.internal.contoso.example',
      trust: ClientCertificateTrust.uploadedCertificates(),
      gateStyle: GateStyle.EXPRESSION,
    });
    return stack;
  } finally {
    delete process.env[ENV];
    delete process.env[SYNTH_WITHOUT_SECRETS];
  }
}

describe('the matrix of a stack synthesized with this library', () => {
  const stack = gateway(true);
  // toTerraform() keeps the `//` claims that Testing.synth() strips.
  const json = stack.toTerraform();
  const matrix = accessMatrix(readPlan(json), { now: NOW });
  const PARTNER = `certificate:${addressOf(json, 'azurerm_api_management_certificate', 'gateway/Partner/Certificate')}`;
  const CLIENT = `certificate:${addressOf(json, 'azurerm_api_management_certificate', 'gateway/GatewayClient/Certificate')}`;
  const ORDERS_POLICY = addressOf(json, 'azurerm_api_management_api_policy', 'gateway/Orders/Policy');
  const INVENTORY_POLICY = addressOf(json, 'azurerm_api_management_api_policy', 'gateway/Inventory/Policy');

  test.each([
    ['the partner', 'forwarded to orders.internal.contoso.example', () => PARTNER],
    ['the gateway client certificate', 'rejected 401 by the orders policy', () => CLIENT],
    ['an unknown certificate', 'rejected 401 by the orders policy', () => 'unknown'],
    ['no certificate', 'rejected 401 by the orders policy', () => 'none'],
    ['the partner after it expired', 'rejected 401 by the orders policy', () => `expired:${PARTNER}`],
    ['an impostor of the partner', 'rejected 401 by the orders policy', () => `impostor:${PARTNER}`],
  ])('GET /* of orders with %s is %s', (_, expected, caller) => {
    expect(verdictOf(matrix, 'orders', 'GET /*', caller())).toBe(expected.replace('the orders policy', ORDERS_POLICY));
  });

  test.each([
    ['the partner', 'forwarded to inventory.internal.contoso.example', () => PARTNER],
    ['the gateway client certificate, uploaded for the backend', 'forwarded to inventory.internal.contoso.example', () => CLIENT],
    ['an unknown certificate', 'rejected 401 by the inventory policy', () => 'unknown'],
  ])('POST /* of inventory with %s is %s', (_, expected, caller) => {
    expect(verdictOf(matrix, 'inventory', 'POST /*', caller())).toBe(expected.replace('the inventory policy', INVENTORY_POLICY));
  });

  test('reads the cdk.tf.json that cdktf writes the same as stack.toTerraform()', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-access-'));
    // The same feature flags as Testing.app(): CDK Terrain hashes assets differently without them.
    const app = Testing.app({ outdir });
    const copy = gateway(true, app);
    app.synth();
    const written = JSON.parse(readFileSync(join(outdir, 'stacks', copy.node.id, 'cdk.tf.json'), 'utf8'));
    expect(accessMatrix(readPlan(written), { now: NOW })).toEqual(matrix);
  });

  test('a synth without the PFX password gives the same verdicts', () => {
    const without = accessMatrix(readPlan(gateway(false).toTerraform(), { claimsFrom: readPlan(json) }), { now: NOW });
    const verdicts = (m: AccessMatrix) => m.services.flatMap((s) => s.operations.flatMap((o) => o.cells.map((c) => [o.ref.apiPath, o.ref.operation, c.caller.key, c.verdict])));
    expect(verdicts(without)).toEqual(verdicts(matrix));
    // Without the other plan's claims the certificate's thumbprint is a placeholder, and the policy names it by reference.
    const alone = accessMatrix(readPlan(gateway(false).toTerraform()), { now: NOW });
    expect(verdictOf(alone, 'orders', 'GET /*', PARTNER)).toBe('forwarded to orders.internal.contoso.example');
  });
});
