import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles } from '../../support/files';
import { writePfx } from '../../support/pfx';
import { npmRunSynth, scratchApp, writeReadmeApp } from '../../support/readme-app';
import { issueCertificate } from '../../support/x509';

/*
 * The README's certificate block under the real CLI (`npm run synth`), as a user who sets only
 * the Terraform variable would run it: once without PARTNER_PFX_PASSWORD and without the
 * no-secrets flag (expected: synth fails, naming the construct, the variable and the flag), once
 * with the flag (expected: synth passes with a warning, nothing secret in any output). The right
 * and the wrong password are run by test/certificates/cdktf-cli-pfx.test.ts.
 */

const PASSWORD = 'cli-adversary-pfx-password';

function appWithPartnerPfx(): string {
  const dir = scratchApp();
  writeFileSync(join(dir, 'certs', 'partner.pfx'), readFileSync(writePfx(issueCertificate({ subject: 'CN=partner-client' }), { password: PASSWORD })));
  writeReadmeApp(dir);
  return dir;
}

test('only TF_VAR_partner_pfx_password set, no flag: npm run synth fails naming the construct, the variable and the flag, printing no secret and writing no stack', () => {
  const dir = appWithPartnerPfx();
  const run = npmRunSynth(dir, { PARTNER_PFX_PASSWORD: undefined, APIM_MTLS_SYNTH_WITHOUT_SECRETS: undefined, TF_VAR_partner_pfx_password: PASSWORD });
  expect(run.status).not.toBe(0);
  expect(run.output).toContain('[partners/PartnerClient] PFX file "certs/partner.pfx" cannot be inspected: environment variable PARTNER_PFX_PASSWORD is not set.');
  expect(run.output).toContain('set APIM_MTLS_SYNTH_WITHOUT_SECRETS=1');
  expect(run.output).not.toContain(PASSWORD);
  expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'partners', 'cdk.tf.json'))).toBe(false);
}, 180000);

test('with APIM_MTLS_SYNTH_WITHOUT_SECRETS=1: npm run synth passes with a warning, the gate references the certificate, and no secret is readable from cdktf.out or the output', () => {
  const dir = appWithPartnerPfx();
  const run = npmRunSynth(dir, { PARTNER_PFX_PASSWORD: undefined, APIM_MTLS_SYNTH_WITHOUT_SECRETS: '1', TF_VAR_partner_pfx_password: PASSWORD });
  expect(run).toMatchObject({ status: 0 });
  expect(run.output).toContain('PFX file "certs/partner.pfx" was not inspected: APIM_MTLS_SYNTH_WITHOUT_SECRETS is set and environment variable PARTNER_PFX_PASSWORD is not.');
  expect(run.output).not.toContain(PASSWORD);

  const out = join(dir, 'cdktf.out');
  for (const file of listFiles(out)) expect({ file, password: readFileSync(file, 'latin1').includes(PASSWORD) }).toEqual({ file, password: false });
  const [asset] = listFiles(out).filter((file) => file.endsWith('.pfx'));
  const key = spawnSync('openssl', ['pkcs12', '-in', asset, '-nocerts', '-nodes', '-nomacver', '-passin', 'pass:'], { encoding: 'utf8' });
  expect(key.stdout).not.toContain('PRIVATE KEY');

  const json = JSON.parse(readFileSync(join(out, 'stacks', 'partners', 'cdk.tf.json'), 'utf8'));
  const certificates = Object.entries<any>(json.resource.azurerm_api_management_certificate);
  const [address, pfx] = certificates.find(([, c]) => c.data !== undefined)!;
  expect(pfx).toMatchObject({ password: '${var.partner_pfx_password}', '//': { 'cdktf-apim-mtls': { inspected: false } } });
  const policy: string = Object.values<any>(json.resource.azurerm_api_management_api_policy)[0].xml_content;
  expect(policy).toContain(`\${azurerm_api_management_certificate.${address}.thumbprint}`);
}, 180000);
