import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, basename } from 'node:path';
import { checkPfxProtection, inspectPfx, PfxInspectionError } from '../../src/certificates/pfx-inspection';
import { pfxFix } from '../../src/certificates/pfx-fix';
import { PfxOptions, writePfx } from '../support/pfx';
import { mergePfx } from '../support/pkcs12';
import { issueCertificate } from '../support/x509';

const OLD_PASSWORD = 'old-pfx-password';
const NEW_PASSWORD = 'new pfx password';

function problemOf(content: Buffer, password: string): PfxInspectionError {
  try {
    inspectPfx(content, password);
  } catch (error) {
    if (error instanceof PfxInspectionError) return error;
    throw error;
  }
  throw new Error('expected the PFX to be refused');
}

/** Runs the fix's commands one by one in the file's directory, with the password variable set. */
function runFix(fix: string, cwd: string, password: string): { intermediate: string } {
  const commands = fix.slice(fix.indexOf('openssl')).split(' && ');
  let intermediate = '';
  for (const command of commands) {
    execFileSync('sh', ['-c', command], { cwd, env: { ...process.env, PFX_PASSWORD: password }, stdio: 'pipe' });
    if (intermediate === '' && existsSync(`${cwd}/certificate-bundle.pem`)) intermediate = readFileSync(`${cwd}/certificate-bundle.pem`, 'utf8');
  }
  return { intermediate };
}

describe('the re-export a refused PFX is given works and never writes a key in clear', () => {
  test.each<[string, PfxOptions, string, string]>([
    ['a private key in clear', { password: OLD_PASSWORD, unencryptedKey: true }, 'unprotected-key', OLD_PASSWORD],
    ['no integrity MAC', { password: OLD_PASSWORD, withoutMac: true }, 'no-mac', OLD_PASSWORD],
    ['an empty password', { password: '' }, 'empty-password', NEW_PASSWORD],
    ['an empty password and RC2', { password: '', encryption: 'rc2' }, 'empty-password', NEW_PASSWORD],
    ['legacy RC2 encryption', { password: OLD_PASSWORD, encryption: 'rc2' }, 'legacy-encryption', OLD_PASSWORD],
  ])('%s', (_label, options, problem, password) => {
    const certificate = issueCertificate({ subject: 'CN=reexport', keyKind: 'rsa' });
    const file = writePfx(certificate, options);
    const error = problemOf(readFileSync(file), options.password);
    expect(error.problem).toBe(problem);
    const fix = pfxFix(error.problem, { file: basename(file), passwordVariable: 'PFX_PASSWORD' }, error.legacyEncryption)!;
    expect(fix).not.toMatch(/-nodes|-noenc|-nocrypt/);

    const { intermediate } = runFix(fix, dirname(file), password);
    // The intermediate file holds the key encrypted with the password, and is removed at the end.
    expect(intermediate).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    expect(intermediate).not.toContain('-----BEGIN PRIVATE KEY-----');
    expect(existsSync(`${dirname(file)}/certificate-bundle.pem`)).toBe(false);

    const protectedFile = readFileSync(`${dirname(file)}/certificate-protected.pfx`);
    expect(() => checkPfxProtection(protectedFile)).not.toThrow();
    expect(inspectPfx(protectedFile, password).thumbprint).toBe(certificate.thumbprint);
  });
});

test('the re-export of a PFX with several private keys keeps the first key and its certificate', () => {
  const first = issueCertificate({ subject: 'CN=first' });
  const file = mergePfx(writePfx(first, { password: OLD_PASSWORD }), writePfx(issueCertificate({ subject: 'CN=second' }), { password: OLD_PASSWORD }), OLD_PASSWORD);
  expect(() => checkPfxProtection(readFileSync(file))).toThrow(expect.objectContaining({ problem: 'several-keys' }));
  runFix(pfxFix('several-keys', { file: basename(file), passwordVariable: 'PFX_PASSWORD' })!, dirname(file), OLD_PASSWORD);

  const protectedFile = readFileSync(`${dirname(file)}/certificate-merged-protected.pfx`);
  expect(() => checkPfxProtection(protectedFile)).not.toThrow();
  expect(inspectPfx(protectedFile, OLD_PASSWORD).thumbprint).toBe(first.thumbprint);
});
