import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { CertificateSource, Secret, UploadedCertificate } from '../../src';
import { newService } from '../support/stack';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';

const ENV = 'ARTIFACT_PFX_PASSWORD';
const PASSWORD = 'artifact-pfx-password';

/**
 * What someone holding only the file can get out of it: openssl asked for the private key with
 * no password and without checking the MAC (which a clear key bag would not need).
 */
function keyWithoutPassword(file: string): string {
  const result = spawnSync('openssl', ['pkcs12', '-in', file, '-nocerts', '-nodes', '-nomacver', '-passin', 'pass:'], { encoding: 'utf8' });
  return result.stdout;
}

/** The DER of the keyBag type (PKCS#12 1.2.840.113549.1.12.10.1.1): visible only where a key is stored in clear. */
const KEY_BAG_OID = Buffer.from('060b2a864886f70d010c0a0101', 'hex');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

afterEach(() => {
  delete process.env[ENV];
});

test('the probes find a key stored in clear', () => {
  const subject = { subject: 'CN=control' };
  const clearKey = writePfx(issueCertificate(subject), { password: PASSWORD, unencryptedKey: true });
  expect(readFileSync(clearKey).includes(KEY_BAG_OID)).toBe(true);
  const allClear = writePfx(issueCertificate(subject), { password: PASSWORD, unencryptedKey: true, unencryptedCertificates: true });
  expect(keyWithoutPassword(allClear)).toContain('-----BEGIN PRIVATE KEY-----');
});

test('no private key can be read from cdktf.out without its password', () => {
  process.env[ENV] = PASSWORD;
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-artifact-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'partners');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const apim = newService(stack);
  for (const [id, keyKind, encryption] of [['Rsa', 'rsa', 'aes'], ['Ec', 'ec', 'aes'], ['Legacy3des', 'rsa', '3des']] as const) {
    const file = writePfx(issueCertificate({ subject: `CN=${id}`, keyKind }), { password: PASSWORD, encryption });
    new UploadedCertificate(stack, id, { apiManagement: apim, source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }) });
  }
  app.synth();

  const assets = listFiles(outdir).filter((f) => f.endsWith('.pfx'));
  expect(assets).toHaveLength(3);
  for (const asset of assets) {
    expect({ asset, key: keyWithoutPassword(asset), clearKeyBag: readFileSync(asset).includes(KEY_BAG_OID) }).toEqual({ asset, key: '', clearKeyBag: false });
  }
});
