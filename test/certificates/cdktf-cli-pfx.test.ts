import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { simulatePolicy, SimulatedOutcome } from '../../src';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';

/*
 * The README's certificate block, copied verbatim from README.md as the whole app of a scratch
 * directory that uses the built library (lib/) as a user's app would, synthesized by `npm run
 * synth`, that is the real `cdktf synth` CLI, which removes every TF_VAR_* variable from the app's
 * environment. Two CLI runs: the right password (inspected: literal thumbprint), and a wrong
 * password plus an expired file (synth fails, naming both).
 */

const ROOT = resolve(__dirname, '../..');
const PASSWORD = 'readme-partner-pfx-password';
const DAY = 24 * 60 * 60 * 1000;

/** The first TypeScript block of a README section. */
function readmeCode(section: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${section}\n`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || !block) throw new Error(`README has no TypeScript block under "## ${section}"`);
  return block[1];
}

/** A directory that holds a user's app: cdktf.json, the app, and the library with its peers in node_modules. */
function scratchApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-readme-'));
  mkdirSync(join(dir, 'node_modules', '@cdktf'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'cdktf-apim-mtls'));
  for (const peer of ['cdktf', 'constructs', '@cdktf/provider-azurerm']) symlinkSync(join(ROOT, 'node_modules', peer), join(dir, 'node_modules', peer));
  mkdirSync(join(dir, 'node_modules', '.bin'));
  symlinkSync(join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), join(dir, 'node_modules', '.bin', 'cdktf'));
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node main.js', projectId: 'readme-pfx', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }));
  // The synth script of this repository's package.json, without its build step.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-pfx-app', private: true, scripts: { synth: 'CI=true CHECKPOINT_DISABLE=1 cdktf synth' } }));
  mkdirSync(join(dir, 'certs'));
  return dir;
}

/** The README block as the app, with `extra` code before its final `app.synth();`. */
function writeApp(dir: string, extra = ''): void {
  const readme = readmeCode('Certificates uploaded to API Management');
  const end = readme.lastIndexOf('app.synth();');
  if (end < 0) throw new Error('the README block no longer ends with app.synth()');
  const source = `${readme.slice(0, end)}${extra}\n${readme.slice(end)}`;
  writeFileSync(join(dir, 'main.js'), ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText);
}

/** Runs `npm run synth` (the real `cdktf synth`) in `dir`; returns its exit status and everything it printed. */
function npmRunSynth(dir: string, env: Record<string, string>): { status: number; output: string } {
  try {
    const stdout = execFileSync('npm', ['run', '--silent', 'synth'], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 120000,
    });
    return { status: 0, output: stdout };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, output: `${failed.stdout}\n${failed.stderr}` };
  }
}

test('with the right password, the README flow inspects the PFX under npm run synth (the real cdktf synth)', () => {
  const dir = scratchApp();
  const partner = issueCertificate({ subject: 'CN=partner-client, O=Partner' });
  writeFileSync(join(dir, 'certs', 'partner.pfx'), readFileSync(writePfx(partner, { password: PASSWORD })));
  writeApp(dir);

  // Both variables of the README's shell steps; the CLI hides the TF_VAR_ one from the app.
  const run = npmRunSynth(dir, { PARTNER_PFX_PASSWORD: PASSWORD, TF_VAR_partner_pfx_password: PASSWORD });
  expect(run).toMatchObject({ status: 0 });
  expect(run.output).not.toContain('not inspected');
  expect(run.output).not.toContain(PASSWORD);

  const json = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'partners', 'cdk.tf.json'), 'utf8'));
  const certificates = Object.values<any>(json.resource.azurerm_api_management_certificate);
  const pfx = certificates.find((c) => c.data !== undefined);
  expect(pfx.password).toBe('${var.partner_pfx_password}');
  expect(json.variable.partner_pfx_password).toMatchObject({ sensitive: true });
  expect(pfx['//']['cdktf-apim-mtls']).toMatchObject({ inspected: true, thumbprint: partner.thumbprint, notAfter: partner.notAfter.toISOString() });

  // The gate pins the literal thumbprint: the partner is admitted, a look-alike is not.
  const policy: string = Object.values<any>(json.resource.azurerm_api_management_api_policy)[0].xml_content;
  expect(policy).toContain(partner.thumbprint);
  expect(simulatePolicy(policy, { clientCertificate: partner.x509 }).outcome).toBe(SimulatedOutcome.FORWARDED);
  expect(simulatePolicy(policy, { clientCertificate: issueCertificate({ subject: 'CN=partner-client, O=Partner' }).x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
}, 180000);

test('a wrong password and an expired file fail npm run synth, each named with its construct', () => {
  const dir = scratchApp();
  writeFileSync(join(dir, 'certs', 'partner.pfx'), readFileSync(writePfx(issueCertificate({ subject: 'CN=partner-client' }), { password: PASSWORD })));
  const expired = issueCertificate({ subject: 'CN=old-partner', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
  writeFileSync(join(dir, 'certs', 'old-partner.pfx'), readFileSync(writePfx(expired, { password: PASSWORD })));
  writeApp(
    dir,
    `new UploadedCertificate(stack, 'OldPartnerClient', {
      apiManagement: apim,
      source: CertificateSource.fromPfxFile('certs/old-partner.pfx', { password: Secret.fromEnvironment('OLD_PARTNER_PFX_PASSWORD') }),
    });`,
  );

  const run = npmRunSynth(dir, { PARTNER_PFX_PASSWORD: 'not-the-password', OLD_PARTNER_PFX_PASSWORD: PASSWORD });
  expect(run.status).not.toBe(0);
  expect(run.output).toContain(
    '[partners/PartnerClient] PFX file "certs/partner.pfx" cannot be opened with the given password (MAC verification failed). Check environment variable PARTNER_PFX_PASSWORD.',
  );
  expect(run.output).toMatch(/\[partners\/OldPartnerClient\] PFX file "certs\/old-partner.pfx" \(CN=old-partner, thumbprint [0-9A-F]{40}\) expired on /);
  expect(run.output).not.toContain(PASSWORD);
}, 180000);
