import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { CertificateSource, Secret, UploadedCertificate } from '../../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../../src/certificates/synth-secrets';
import { newService, newStack, onlyResource, synthJson, warningsOf } from '../../support/stack';
import { listFiles } from '../../support/files';
import { writePfx } from '../../support/pfx';
import { mergePfx, rewriteAsBer } from '../../support/pkcs12';
import { evaluateTemplate } from '../../support/terraform-evaluation';
import { issueCertificate } from '../../support/x509';

/*
 * Attacks on secrets: passwords and PFX bytes reaching cdktf.out, messages or the repository,
 * PFX files whose private key anyone holding the file can read, paths that leak the machine, and
 * misuse of the Secret and CertificateSource factories. Each test name states the attempt and
 * the verdict expected before it was run.
 */

const ENV = 'ADVERSARY_PFX_PASSWORD';
const PASSWORD = 'Adversary-pfx-Passw0rd!';
const DAY = 24 * 60 * 60 * 1000;
const ROOT = resolve(__dirname, '../../..');
const partner = issueCertificate({ subject: 'CN=partner, O=Partner' });
const goodPfx = writePfx(partner, { password: PASSWORD });

afterEach(() => {
  for (const name of [ENV, 'ADVERSARY_PFX_BASE64', 'SHARED_SECRET', SYNTH_WITHOUT_SECRETS]) delete process.env[name];
});

/** Synthesizes one PFX certificate into a fresh cdktf.out; returns the directory and what synth threw. */
function synthToDisk(file: string, password: Secret = Secret.fromEnvironment(ENV)): { outdir: string; error?: string; certificate?: UploadedCertificate } {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-adversary-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'partners');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  try {
    const certificate = new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(file, { password }) });
    app.synth();
    return { outdir, certificate };
  } catch (error) {
    return { outdir, error: (error as Error).message };
  }
}

/** cdk.tf.json and manifest.json name none of `directories` (absolute paths the PFX was read from). */
function expectNoMachinePath(outdir: string, directories: string[]): void {
  const texts = listFiles(outdir).filter((f) => f.endsWith('.json')).map((f) => readFileSync(f, 'utf8'));
  expect(texts).toHaveLength(2);
  for (const text of texts) for (const directory of directories) expect(text).not.toContain(directory);
}

/** The private key, if openssl can get it from `file` with an empty password and no MAC check. */
function keyWithoutPassword(file: string): string {
  return spawnSync('openssl', ['pkcs12', '-in', file, '-nocerts', '-nodes', '-nomacver', '-passin', 'pass:'], { encoding: 'utf8' }).stdout;
}

function uploadError(source: () => CertificateSource): string {
  const stack = newStack();
  try {
    new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: source() });
    synthJson(stack);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the certificate to be refused');
}

describe('secrets never reach outputs or messages', () => {
  test('an inspected synth writes neither the password nor the PFX bytes into cdk.tf.json, manifest.json or an annotation', () => {
    process.env[ENV] = PASSWORD;
    const soon = issueCertificate({ subject: 'CN=soon', notAfter: new Date(Date.now() + 5 * DAY) });
    const { outdir, error } = synthToDisk(writePfx(soon, { password: PASSWORD }));
    expect(error).toBeUndefined();
    const pfxBase64 = readFileSync(listFiles(outdir).find((f) => f.endsWith('.pfx'))!).toString('base64');
    const texts = listFiles(outdir).filter((f) => f.endsWith('.json'));
    expect(texts.map((f) => basename(f)).sort()).toEqual(['cdk.tf.json', 'manifest.json']);
    for (const f of texts) {
      const text = readFileSync(f, 'utf8');
      expect({ f, password: text.includes(PASSWORD), pfx: text.includes(pfxBase64.slice(64, 128)) }).toEqual({ f, password: false, pfx: false });
    }
    // The expiry warning is there (so annotations were written) and carries no secret.
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toContain('within expiryWarningDays');
  });

  test('a wrong password fails synth naming the construct, the file and the variable, never the password tried', () => {
    process.env[ENV] = `${PASSWORD}-wrong`;
    const { error } = synthToDisk(goodPfx);
    expect(error).toMatch(/\[partners\/Partner\] PFX file "certificate\.pfx" cannot be opened with the given password.*Check environment variable ADVERSARY_PFX_PASSWORD/);
    expect(error).not.toContain(PASSWORD);
  });

  test('a PFX given as base64 with a wrong password: the message names the variables, never their values', () => {
    const base64 = readFileSync(goodPfx).toString('base64');
    process.env.ADVERSARY_PFX_BASE64 = base64;
    process.env[ENV] = `${PASSWORD}-wrong`;
    const message = uploadError(() => CertificateSource.fromPfxSecret(Secret.fromEnvironment('ADVERSARY_PFX_BASE64'), { password: Secret.fromEnvironment(ENV) }));
    expect(message).toMatch(/\[test\/Partner\] the PFX in environment variable ADVERSARY_PFX_BASE64 cannot be opened.*Check environment variable ADVERSARY_PFX_PASSWORD/);
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toContain(base64.slice(0, 40));
  });

  test('a base64 value that is not one line is refused without echoing it', () => {
    const pem = partner.pem;
    process.env.ADVERSARY_PFX_BASE64 = pem;
    process.env[ENV] = PASSWORD;
    const message = uploadError(() => CertificateSource.fromPfxSecret(Secret.fromEnvironment('ADVERSARY_PFX_BASE64'), { password: Secret.fromEnvironment(ENV) }));
    expect(message).toMatch(/^test\/Partner: the PFX in environment variable ADVERSARY_PFX_BASE64 is not one line of base64/);
    expect(message).not.toContain(pem.split('\n')[1]);
  });

  test('a refused PFX leaves nothing in cdktf.out: no half-written output with the file in it', () => {
    const { outdir, error } = synthToDisk(writePfx(partner, { password: '' }));
    expect(error).toMatch(/has an empty password/);
    expect(listFiles(outdir)).toEqual([]);
  });

  test('no file of the repository holds a private key or a PKCS#12 file', () => {
    // What .gitignore keeps out of the repository, and git's own directory.
    const ignored = new Set(['.git', 'node_modules', 'lib', 'cdktf.out', '.gen', 'coverage']);
    const repositoryFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        ignored.has(entry.name) ? [] : entry.isDirectory() ? repositoryFiles(join(dir, entry.name)) : [join(dir, entry.name)],
      );
    const files = repositoryFiles(ROOT);
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => /\.(pfx|p12|key|pem|der|crt)$/i.test(f))).toEqual([]);
    const withKey = files.filter((f) => /-----BEGIN [A-Z ]*PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]{64,}-----END/.test(readFileSync(f).toString('latin1')));
    expect(withKey).toEqual([]);
  });
});

describe('a PFX whose private key can be read without its password is refused, with or without the password at synth', () => {
  const readable: ReadonlyArray<readonly [string, () => string, RegExp]> = [
    ['an empty password', () => writePfx(partner, { password: '' }), /has an empty password/],
    ['a key in a plain keyBag', () => writePfx(partner, { password: PASSWORD, unencryptedKey: true, unencryptedCertificates: true }), /stores its private key unencrypted/],
    [
      'a plain keyBag in a BER-encoded file',
      () => rewriteAsBer(writePfx(partner, { password: PASSWORD, unencryptedKey: true, unencryptedCertificates: true })),
      /stores its private key unencrypted/,
    ],
    [
      'a key encrypted with an empty password under a MAC made with the real one',
      () => mergePfx(writePfx(partner, { password: '' }), writePfx(partner, { password: PASSWORD, withoutKey: true }), PASSWORD),
      /encrypts its private key with an empty password, though its MAC uses another/,
    ],
    [
      'the same with a 3DES key, as older Windows exports write',
      () => mergePfx(writePfx(partner, { password: '', encryption: '3des' }), writePfx(partner, { password: PASSWORD, withoutKey: true }), PASSWORD),
      /encrypts its private key with an empty password/,
    ],
  ];

  test.each(readable)('%s: the key is readable from the file, and synth with the password refuses it before writing anything', (_label, make, message) => {
    const file = make();
    expect(keyWithoutPassword(file)).toContain('PRIVATE KEY');
    process.env[ENV] = PASSWORD;
    const { outdir, error } = synthToDisk(file);
    expect(error).toMatch(new RegExp(`\\[partners/Partner\\] PFX file "${basename(file).replace('.', '\\.')}" ${message.source}`));
    expect(listFiles(outdir)).toEqual([]);
  });

  test.each(readable)('%s: a synth without secrets (APIM_MTLS_SYNTH_WITHOUT_SECRETS=1) refuses it too', (_label, make, message) => {
    process.env[SYNTH_WITHOUT_SECRETS] = '1';
    const { outdir, error } = synthToDisk(make());
    expect(error).toMatch(message);
    expect(listFiles(outdir)).toEqual([]);
  });
});

describe('files that are not one protected PFX', () => {
  beforeEach(() => {
    process.env[ENV] = PASSWORD;
  });

  test('a PFX with two private keys is refused: synth would pin one certificate while API Management may use the other', () => {
    const other = writePfx(issueCertificate({ subject: 'CN=other' }), { password: PASSWORD });
    const { error } = synthToDisk(mergePfx(goodPfx, other, PASSWORD));
    expect(error).toMatch(/\[partners\/Partner\] PFX file "certificate-merged\.pfx" holds 2 private keys.*Re-export it with the first key only: openssl pkcs12/);
  });

  test('bytes after the PFX are refused: they would travel into cdktf.out unchecked', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'apim-mtls-trailing-')), 'partner.pfx');
    copyFileSync(goodPfx, file);
    appendFileSync(file, '\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n');
    expect(synthToDisk(file).error).toMatch(/\[partners\/Partner\] PFX file "partner\.pfx" is not a PKCS#12 \(\.pfx\/\.p12\) file.*Export the certificate with its private key as \.pfx/);
  });

  test('30 MB of junk is refused as not a PFX', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'apim-mtls-huge-')), 'huge.pfx');
    writeFileSync(file, Buffer.alloc(30 * 1024 * 1024, 0x30));
    expect(synthToDisk(file).error).toMatch(/PFX file "huge\.pfx" is not a PKCS#12/);
  });

  test('a PEM file renamed .pfx is refused with the fix', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'apim-mtls-pem-')), 'partner.pfx');
    writeFileSync(file, partner.pem);
    expect(synthToDisk(file).error).toMatch(/PFX file "partner\.pfx" is not a PKCS#12 .*Export the certificate with its private key as \.pfx/);
  });

  test('a PFX without MAC is refused: neither its password nor its content can be verified', () => {
    expect(synthToDisk(writePfx(partner, { password: PASSWORD, withoutMac: true })).error).toMatch(/has no integrity MAC.*Re-export it with an encrypted key and a MAC/);
  });

  test('a certificate-only PFX is refused: APIM needs the private key', () => {
    expect(synthToDisk(writePfx(partner, { password: PASSWORD, withoutKey: true })).error).toMatch(/contains no private key\. Export the certificate together with its private key/);
  });

  test('a directory is refused at once, naming the construct, the path and the fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-dir-'));
    expect(synthToDisk(dir).error).toBe(`partners/Partner: PFX file ${JSON.stringify(dir)} is a directory. Give the path of the .pfx file itself.`);
  });

  test('a symlink is followed: the asset is a regular file holding the protected PFX, and no output names the machine path', () => {
    const link = join(mkdtempSync(join(tmpdir(), 'apim-mtls-link-')), 'partner.pfx');
    symlinkSync(goodPfx, link);
    const { outdir, error } = synthToDisk(link);
    expect(error).toBeUndefined();
    const [asset] = listFiles(outdir).filter((f) => f.endsWith('.pfx'));
    expect(lstatSync(asset).isSymbolicLink()).toBe(false);
    expect(readFileSync(asset).equals(readFileSync(goodPfx))).toBe(true);
    expectNoMachinePath(outdir, [dirname(link), dirname(goodPfx)]);
  });

  test('a path with ".." outside the app is shown as given (relative, so alike on every checkout), and no output holds an absolute path', () => {
    const app = mkdtempSync(join(tmpdir(), 'apim-mtls-app-'));
    const outside = join(mkdtempSync(join(tmpdir(), 'apim-mtls-outside-')), 'soon.pfx');
    copyFileSync(writePfx(issueCertificate({ subject: 'CN=soon', notAfter: new Date(Date.now() + 5 * DAY) }), { password: PASSWORD }), outside);
    const cwd = process.cwd();
    process.chdir(app);
    try {
      const { outdir, error, certificate } = synthToDisk(relative(app, outside));
      expect(error).toBeUndefined();
      expect(warningsOf(certificate!)).toEqual([expect.stringMatching(/^PFX file "\.\.\/apim-mtls-outside-\w+\/soon\.pfx" \(CN=soon, thumbprint [0-9A-F]{40}\) expires on /)]);
      expectNoMachinePath(outdir, [dirname(outside)]);
    } finally {
      process.chdir(cwd);
    }
  });

  test('an absolute path outside the app is shown by its file name only, and no output names the machine path', () => {
    const soon = join(mkdtempSync(join(tmpdir(), 'apim-mtls-abs-')), 'soon.pfx');
    copyFileSync(writePfx(issueCertificate({ subject: 'CN=soon', notAfter: new Date(Date.now() + 5 * DAY) }), { password: PASSWORD }), soon);
    const { outdir, error, certificate } = synthToDisk(soon);
    expect(error).toBeUndefined();
    expect(warningsOf(certificate!)).toEqual([expect.stringMatching(/^PFX file "soon\.pfx" \(CN=soon/)]);
    expectNoMachinePath(outdir, [dirname(soon)]);
  });
});

describe('misuse of Secret and CertificateSource', () => {
  test('an empty password variable is taken as a wrong password, naming the variable', () => {
    process.env[ENV] = '';
    expect(synthToDisk(goodPfx).error).toMatch(/cannot be opened with the given password.*Check environment variable ADVERSARY_PFX_PASSWORD/);
  });

  test('a lower-case tf_var_ name is refused like TF_VAR_: the app could not rely on reading it', () => {
    expect(uploadError(() => CertificateSource.fromPfxFile(goodPfx, { password: Secret.fromEnvironment('tf_var_partner_pw') }))).toMatch(
      /^test\/Partner: Secret\.fromEnvironment\("tf_var_partner_pw"\) can never be read under cdktf synth.*Secret\.fromEnvironment\("PARTNER_PW"\)/,
    );
  });

  test('names that differ only in case are separate variables when they are in different stacks', () => {
    process.env[ENV] = PASSWORD;
    process.env[ENV.toLowerCase()] = PASSWORD;
    try {
      const variables = [ENV, ENV.toLowerCase()].map((name) => {
        const stack = newStack(`stack-${name}`);
        new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(goodPfx, { password: Secret.fromEnvironment(name) }) });
        return Object.keys(synthJson(stack).variable);
      });
      expect(variables).toEqual([['adversary_pfx_password'], ['adversary_pfx_password']]);
    } finally {
      delete process.env[ENV.toLowerCase()];
    }
  });

  test('fromPfxSecret with one variable for the PFX and its password is refused, naming both', () => {
    process.env[SYNTH_WITHOUT_SECRETS] = '1';
    expect(uploadError(() => CertificateSource.fromPfxSecret(Secret.fromEnvironment('SHARED_SECRET'), { password: Secret.fromEnvironment('SHARED_SECRET') }))).toBe(
      'test/Partner: CertificateSource.fromPfxSecret gets the PFX (environment variable SHARED_SECRET) and its password (environment variable SHARED_SECRET) from one Terraform variable, "shared_secret". ' +
        "Give each its own, e.g. Secret.fromEnvironment('PARTNER_PFX_BASE64') and Secret.fromEnvironment('PARTNER_PFX_PASSWORD').",
    );
  });

  test('fromPfxSecret without a Secret for the PFX is refused, naming the construct', () => {
    expect(uploadError(() => CertificateSource.fromPfxSecret(undefined as unknown as Secret, { password: Secret.fromEnvironment(ENV) }))).toMatch(
      /^test\/Partner: CertificateSource\.fromPfxSecret needs the PFX as a Secret/,
    );
  });

  test('fromPfxSecret with a non-sensitive Terraform variable is warned for the PFX and the password alike', () => {
    const stack = newStack();
    const pfx = new TerraformVariable(stack, 'pfx', { type: 'string' });
    const password = new TerraformVariable(stack, 'pw', { type: 'string' });
    const certificate = new UploadedCertificate(stack, 'Partner', {
      apiManagement: newService(stack),
      source: CertificateSource.fromPfxSecret(Secret.fromTerraformVariable(pfx), { password: Secret.fromTerraformVariable(password) }),
    });
    synthJson(stack);
    expect(warningsOf(certificate).filter((w) => /is not marked sensitive/.test(w))).toEqual([
      expect.stringMatching(/^Terraform variable pw carries a secret/),
      expect.stringMatching(/^Terraform variable pfx carries a secret/),
    ]);
  });

  test.each([
    ['a variable\'s token', (stack: TerraformStack) => new TerraformVariable(stack, 'pw', { type: 'string', sensitive: true }).stringValue],
    ['text shaped like cdktf\'s token marker', () => '${TfToken[TOKEN.1]}'],
  ])('unsafePlainText of %s is refused, pointing at fromTerraformVariable', (_label, value) => {
    const stack = newStack();
    expect(() =>
      new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(goodPfx, { password: Secret.unsafePlainText(value(stack)) }) }),
    ).toThrow(/^test\/Partner: Secret\.unsafePlainText got a Terraform token .*Secret\.fromTerraformVariable\(variable\)/);
  });

  test.each(['${a}', '%{a}', '$${a}', '%%{a}', '$$${a}', 'a$', '$', '%', '"\\', 'a$%{}${}'])('unsafePlainText(%j) reaches Terraform as exactly that text', (value) => {
    const stack = newStack();
    const file = writePfx(issueCertificate({ subject: 'CN=plain' }), { password: value });
    new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(file, { password: Secret.unsafePlainText(value) }) });
    expect(evaluateTemplate(onlyResource(synthJson(stack), 'azurerm_api_management_certificate').password, {})).toBe(value);
  });

  test('unsafePlainText is warned, and the warning does not contain the password', () => {
    const stack = newStack();
    const certificate = new UploadedCertificate(stack, 'Partner', { apiManagement: newService(stack), source: CertificateSource.fromPfxFile(goodPfx, { password: Secret.unsafePlainText(PASSWORD) }) });
    synthJson(stack);
    expect(warningsOf(certificate)).toEqual([expect.stringMatching(/^Secret\.unsafePlainText: the secret is written into cdk\.tf\.json in plain text/)]);
    expect(warningsOf(certificate).join('\n')).not.toContain(PASSWORD);
  });

  test('a PFX passed as unsafePlainText base64 is an explicit, warned opt-in: the bytes appear only as the certificate\'s data', () => {
    const base64 = readFileSync(goodPfx).toString('base64');
    const stack = newStack();
    const certificate = new UploadedCertificate(stack, 'Partner', {
      apiManagement: newService(stack),
      source: CertificateSource.fromPfxSecret(Secret.unsafePlainText(base64), { password: Secret.unsafePlainText(PASSWORD) }),
    });
    const json = synthJson(stack);
    expect(onlyResource(json, 'azurerm_api_management_certificate').data).toBe(base64);
    expect(JSON.stringify(json).split(base64)).toHaveLength(2);
    expect(warningsOf(certificate)).toHaveLength(2);
  });
});

describe('APIM_MTLS_SYNTH_WITHOUT_SECRETS', () => {
  test('set while the password is present: the PFX is still inspected', () => {
    process.env[SYNTH_WITHOUT_SECRETS] = '1';
    process.env[ENV] = PASSWORD;
    const { certificate, error } = synthToDisk(goodPfx);
    expect(error).toBeUndefined();
    expect(certificate!.thumbprint).toBe(partner.thumbprint);
  });

  test('a value other than 1 or true is not taken as set: synth fails, naming the variable and the value that works', () => {
    process.env[SYNTH_WITHOUT_SECRETS] = 'yes';
    expect(synthToDisk(goodPfx).error).toMatch(/cannot be inspected: environment variable ADVERSARY_PFX_PASSWORD is not set\..*set APIM_MTLS_SYNTH_WITHOUT_SECRETS=1/);
  });
});

// Keeps the directory helpers honest: a test that lists nothing proves nothing.
test('the listing helper sees files in nested directories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-list-'));
  mkdirSync(join(dir, 'a', 'b'), { recursive: true });
  writeFileSync(join(dir, 'a', 'b', 'c.txt'), 'x');
  expect(listFiles(dir)).toEqual([join(dir, 'a', 'b', 'c.txt')]);
});
