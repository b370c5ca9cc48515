import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { CertificateSource, ClientCertGatedApi, ClientCertificateTrust, GateStyle, Secret, simulatePolicy, SimulatedOutcome, UploadedCertificate } from '../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../src/certificates/synth-secrets';
import { writePfx } from '../support/pfx';
import { newService, newStack, onlyResource, synthJson, warningsOf } from '../support/stack';
import { issueCertificate } from '../support/x509';

const PFX_ENV = 'PARTNER_PFX_BASE64';
const PASSWORD_ENV = 'PARTNER_PFX_PASSWORD';
const PASSWORD = 'pfx-secret-password';
const partner = issueCertificate({ subject: 'CN=partner-secret' });
const pfxBase64 = readFileSync(writePfx(partner, { password: PASSWORD })).toString('base64');

afterEach(() => {
  for (const name of [PFX_ENV, PASSWORD_ENV, SYNTH_WITHOUT_SECRETS]) delete process.env[name];
});

function source() {
  return CertificateSource.fromPfxSecret(Secret.fromEnvironment(PFX_ENV), { password: Secret.fromEnvironment(PASSWORD_ENV) });
}

describe('CertificateSource.fromPfxSecret', () => {
  test('writes nothing of the PFX to cdktf.out: Terraform gets it as a sensitive variable', () => {
    process.env[PFX_ENV] = pfxBase64;
    process.env[PASSWORD_ENV] = PASSWORD;
    const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-pfx-secret-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'partners');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: source() });
    app.synth();

    const files = listFiles(outdir);
    expect(files.filter((f) => !/(cdk\.tf\.json|manifest\.json)$/.test(f))).toEqual([]);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect({ f, pfx: text.includes(pfxBase64.slice(100, 140)), password: text.includes(PASSWORD) }).toEqual({ f, pfx: false, password: false });
    }
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'partners', 'cdk.tf.json'), 'utf8'));
    const resource = onlyResource(json, 'azurerm_api_management_certificate');
    expect(resource).toMatchObject({ name: 'partner', data: '${var.partner_pfx_base64}', password: '${var.partner_pfx_password}' });
    expect(json.variable.partner_pfx_base64).toMatchObject({ sensitive: true, type: 'string' });
    expect(resource['//']['cdktf-apim-mtls']).toMatchObject({ source: 'pfx-secret', inspected: true, thumbprint: partner.thumbprint });
  });

  test('is inspected when the value is in the environment: the gate pins its literal thumbprint and admits only it', () => {
    process.env[PFX_ENV] = pfxBase64;
    process.env[PASSWORD_ENV] = PASSWORD;
    const stack = newStack();
    const apim = newService(stack);
    const certificate = new UploadedCertificate(stack, 'Partner', { apiManagement: apim, source: source() });
    expect(certificate.thumbprint).toBe(partner.thumbprint);
    new ClientCertGatedApi(stack, 'Api', {
      apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', gateStyle: GateStyle.EXPRESSION,
      trust: ClientCertificateTrust.certificates([certificate]),
    });
    const policy = onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').xml_content;
    expect(simulatePolicy(policy, { clientCertificate: partner.x509 }).outcome).toBe(SimulatedOutcome.FORWARDED);
    expect(simulatePolicy(policy, { clientCertificate: issueCertificate({ subject: 'CN=partner-secret' }).x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
  });

  test('the same checks apply as to a file: a private key in clear fails synth', () => {
    process.env[PFX_ENV] = readFileSync(writePfx(partner, { password: PASSWORD, unencryptedKey: true })).toString('base64');
    process.env[PASSWORD_ENV] = PASSWORD;
    const stack = newStack();
    new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: source() });
    expect(() => synthJson(stack)).toThrow(
      /\[test\/Partner\] the PFX in environment variable PARTNER_PFX_BASE64 stores its private key unencrypted.*openssl pkcs12 -in certificate.pfx -passin env:PARTNER_PFX_PASSWORD/,
    );
  });

  test('without the value at synth, synth fails unless it runs without secrets on purpose', () => {
    process.env[PASSWORD_ENV] = PASSWORD;
    const failing = newStack();
    new UploadedCertificate(failing, 'Partner', { apiManagement: newService(failing), source: source() });
    expect(() => synthJson(failing)).toThrow(/\[test\/Partner\] the PFX in environment variable PARTNER_PFX_BASE64 cannot be inspected: environment variable PARTNER_PFX_BASE64 is not set/);

    process.env[SYNTH_WITHOUT_SECRETS] = 'true';
    const stack = newStack();
    const certificate = new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: source() });
    expect(synthJson(stack).resource.azurerm_api_management_certificate).toBeDefined();
    expect(certificate.notAfter).toBeUndefined();
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^the PFX in environment variable PARTNER_PFX_BASE64 was not inspected: APIM_MTLS_SYNTH_WITHOUT_SECRETS is set/)]);
  });

  test.each([
    ['line breaks, as base64 writes by default', pfxBase64.replace(/(.{76})/g, '$1\n')],
    ['a data URL prefix', `data:application/x-pkcs12;base64,${pfxBase64}`],
    ['a missing padding character', pfxBase64.replace(/=+$/, '').slice(0, -1)],
  ])('a value with %s is refused with the command that encodes it', (_label, value) => {
    process.env[PFX_ENV] = value;
    const stack = newStack();
    expect(() => new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: source() })).toThrow(
      /^test\/Partner: the PFX in environment variable PARTNER_PFX_BASE64 is not one line of base64 \(\d+ characters\)\. Encode the \.pfx file without line breaks: base64 -w0 certificate\.pfx/,
    );
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
