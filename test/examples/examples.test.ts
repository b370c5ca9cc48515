import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { assertWellFormedXml } from '../support/xml';

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
});
