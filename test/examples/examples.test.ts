import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { assertWellFormedXml } from '../support/xml';
import { EnclosingPolicy, SimulatedCertificate, SimulatedOutcome, simulatePolicy } from '../../src/policy/simulator';

const ROOT = resolve(__dirname, '../..');

/** Runs examples/main.ts in its own process, as cdktf does, into a fresh output directory. */
function synthesizeExamples(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-example-'));
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'examples/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    stdio: 'pipe',
  });
  return outdir;
}

function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

describe('examples/main.ts', () => {
  let first: Map<string, string>;
  let second: Map<string, string>;

  beforeAll(() => {
    first = filesUnder(synthesizeExamples());
    second = filesUnder(synthesizeExamples());
  }, 120000);

  test('synthesizes byte-identical output twice', () => {
    expect([...first.keys()]).toEqual([...second.keys()]);
    for (const [name, content] of first) expect(second.get(name)).toBe(content);
  });

  test('output holds no machine path', () => {
    for (const [name, content] of first) {
      expect({ name, hasCheckoutPath: content.includes(ROOT) }).toEqual({ name, hasCheckoutPath: false });
      expect({ name, hasTmpPath: content.includes(tmpdir()) }).toEqual({ name, hasTmpPath: false });
    }
  });

  test('the partner gateway stack gates both APIs and uses a relative state path', () => {
    const stack = JSON.parse(first.get(join('stacks', 'partner-gateway', 'cdk.tf.json'))!);
    expect(stack.terraform.backend.local.path).toBe('terraform.partner-gateway.tfstate');
    const policies = Object.values<any>(stack.resource.azurerm_api_management_api_policy).map((p) => p.xml_content as string);
    expect(policies).toHaveLength(2);
    for (const xml of policies) assertWellFormedXml(xml);
    expect(policies.some((xml) => xml.includes('<identity thumbprint="3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C" />'))).toBe(true);
    expect(policies.some((xml) => xml.includes('|| !context.Deployment.Certificates.Any('))).toBe(true);
    expect(Object.values<any>(stack.resource.azurerm_api_management)[0].client_certificate_enabled).toBe(true);
  });

  test('both APIs call their backends with the Key Vault client certificate presented by id', () => {
    const stack = JSON.parse(first.get(join('stacks', 'partner-gateway', 'cdk.tf.json'))!);
    const backends = Object.values<any>(stack.resource.azurerm_api_management_backend);
    expect(backends.map((b) => [b.name, b.tls]).sort()).toEqual([
      ['legacy-inventory-backend', { validate_certificate_chain: false, validate_certificate_name: false }],
      ['orders-backend', { validate_certificate_chain: true, validate_certificate_name: true }],
    ]);
    for (const policy of Object.values<any>(stack.resource.azurerm_api_management_api_policy)) {
      expect(policy.xml_content).toContain('<authentication-certificate certificate-id="gateway-client-certificate" />');
    }
    // The self-signed variant's warnings, and the one for an API that trusts every uploaded
    // certificate (the gateway's own backend certificate included), reach the manifest without
    // machine-specific stack traces.
    const manifest = JSON.parse(first.get('manifest.json')!);
    const annotations = manifest.stacks['partner-gateway'].annotations;
    expect(annotations.filter((a: any) => a.level === '@cdktf/warn').map((a: any) => a.constructPath)).toEqual([
      'partner-gateway/LegacyInventoryBackend',
      'partner-gateway/LegacyInventoryBackend',
      'partner-gateway/InventoryApi',
    ]);
    expect(annotations.every((a: any) => a.stacktrace === undefined)).toBe(true);
  });

  describe('the platform team stack', () => {
    const stackJson = () => JSON.parse(first.get(join('stacks', 'platform-apis', 'cdk.tf.json'))!);
    const one = (json: any, type: string, part: string) => {
      const entries = Object.entries<any>(json.resource[type]).filter(([name]) => name.includes(part));
      expect(entries).toHaveLength(1);
      return { address: `${type}.${entries[0][0]}`, values: entries[0][1] };
    };
    const facts = { subject: 'CN=partner', issuer: 'CN=Partner CA', notBefore: new Date('2020-01-01'), notAfter: new Date('2040-01-01') };
    const partnerA = SimulatedCertificate.fromFacts({ ...facts, thumbprint: '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C' });
    const stranger = SimulatedCertificate.fromFacts({ ...facts, thumbprint: 'F'.repeat(40) });

    test('imports the Invoices API from OpenAPI: its operations come from the definition, routing only from the policy', () => {
      const api = one(stackJson(), 'azurerm_api_management_api', 'InvoicesApi').values;
      expect(api.import.content_format).toBe('openapi+json');
      expect(JSON.parse(api.import.content_value).paths['/invoices/{id}'].get.operationId).toBe('get-invoice');
      expect(api.service_url).toBe('https://routed-by-policy.invalid');
      expect(Object.keys(stackJson().resource.azurerm_api_management_api_operation).filter((name) => name.includes('Invoices'))).toEqual([]);
    });

    test('GET /invoices/{id} composes product, API and the plain operation policy: only a partner is forwarded', () => {
      const json = stackJson();
      const enclosingPolicies: EnclosingPolicy[] = [
        { scope: 'product:partners', policy: one(json, 'azurerm_api_management_product_policy', 'PartnersGate').values.xml_content },
        { scope: 'api:invoices', policy: one(json, 'azurerm_api_management_api_policy', 'InvoicesApi').values.xml_content },
      ];
      const operation = one(json, 'azurerm_api_management_api_operation_policy', 'GetInvoiceCaching').values.xml_content;
      const call = (clientCertificate?: SimulatedCertificate) => simulatePolicy(operation, { clientCertificate, scope: 'operation:get-invoice', enclosingPolicies });
      expect(call(partnerA)).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendUrl: 'https://invoices.internal.contoso.example/v1' });
      // The product's gate answers first, with its own status.
      expect(call(stranger)).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 403 });
      expect(call(undefined)).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 403 });
      for (const xml of [operation, ...enclosingPolicies.map((p) => p.policy)]) assertWellFormedXml(xml);
    });

    test('the product link waits for the product gate; the API gate keeps the user\'s rate limit after it', () => {
      const json = stackJson();
      const gate = one(json, 'azurerm_api_management_product_policy', 'PartnersGate');
      expect(one(json, 'azurerm_api_management_product_api', 'PartnersInvoices').values.depends_on).toEqual([gate.address]);
      expect(one(json, 'azurerm_api_management_api_policy', 'InvoicesApi').values.xml_content).toMatch(/<\/validate-client-certificate>\n\s+<rate-limit-by-key /);
      expect(one(json, 'azurerm_api_management_api_policy', 'LegacyBillingGate').values).toMatchObject({ api_name: 'legacy-billing', api_management_name: 'contoso-shared-apim' });
    });

    test('the managed edge service negotiates on its custom domain and gates every API globally', () => {
      const json = stackJson();
      const service = one(json, 'azurerm_api_management', 'PartnerEdge');
      expect(service.values.hostname_configuration.proxy).toEqual([
        { host_name: 'contoso-partner-edge.azure-api.net', negotiate_client_certificate: true },
        { host_name: 'partners.contoso.com', negotiate_client_certificate: true, key_vault_certificate_id: 'https://contoso-edge-tls.vault.azure.net/secrets/partners-contoso-com' },
      ]);
      expect(service.values.tags).toEqual({ 'owner': 'platform-team', 'cost-center': 'cc-4711' });
      const global = one(json, 'azurerm_api_management_policy', 'EdgeGate');
      expect(global.values.api_management_id).toBe(`\${${service.address}.id}`);
      expect(one(json, 'azurerm_api_management_api', 'StatusApi').values.depends_on).toEqual([global.address]);
      const status = one(json, 'azurerm_api_management_api_policy', 'StatusApi').values.xml_content;
      const call = (clientCertificate?: SimulatedCertificate) =>
        simulatePolicy(status, { clientCertificate, scope: 'api:status', enclosingPolicies: [{ scope: 'global', policy: global.values.xml_content }] });
      expect(call(partnerA).outcome).toBe(SimulatedOutcome.FORWARDED);
      expect(call(stranger)).toMatchObject({ outcome: SimulatedOutcome.REJECTED, rejectedBy: expect.stringMatching(/^global:/) });
    });

    test('warns only that the shared service must ask for certificates on each of its hosts', () => {
      const annotations = JSON.parse(first.get('manifest.json')!).stacks['platform-apis'].annotations;
      expect(annotations.filter((a: any) => a.level === '@cdktf/warn').map((a: any) => [a.constructPath, a.message])).toEqual([
        ['platform-apis/SharedApim', expect.stringContaining('"contoso-shared-apim.azure-api.net", "api.contoso.com" (hostname_configuration.proxy[*].negotiate_client_certificate = true)')],
      ]);
    });
  });
});

