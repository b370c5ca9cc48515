import { readFileSync } from 'node:fs';
import { checkPfxProtection, inspectPfx, PfxInspectionError, pfxInspectionCount } from '../../src/certificates/pfx-inspection';
import { opensslThumbprint, writePfx } from '../support/pfx';
import { mergePfx, rewriteAsBer } from '../support/pkcs12';
import { issueCertificate } from '../support/x509';

const PASSWORD = 'correct horse';

/** A PFX with a private key and a certificate that belongs to another key. */
function keyWithOtherCertificate(): string {
  const keyOnly = writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutCertificate: true });
  const otherCertificate = writePfx(issueCertificate({ subject: 'CN=b' }), { password: PASSWORD, withoutKey: true });
  return mergePfx(keyOnly, otherCertificate, PASSWORD);
}

function problemOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PfxInspectionError) return error.problem;
    throw error;
  }
  return undefined;
}

describe('inspectPfx', () => {
  test.each([
    ['OpenSSL 3 default (AES-256/PBES2), RSA key', 'aes', 'rsa'],
    ['OpenSSL 3 default (AES-256/PBES2), EC key', 'aes', 'ec'],
    ['3DES, RSA key', '3des', 'rsa'],
    ['3DES, EC key', '3des', 'ec'],
  ] as const)('%s: thumbprint equals openssl\'s SHA-1 fingerprint', (_label, encryption, keyKind) => {
    const certificate = issueCertificate({ subject: 'CN=partner-a, O="Partner, Inc."', keyKind });
    const content = readFileSync(writePfx(certificate, { password: PASSWORD, encryption }));
    const inspection = inspectPfx(content, PASSWORD);
    expect(inspection.thumbprint).toBe(opensslThumbprint(certificate));
    expect(inspection.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(inspection.subject).toBe('CN=partner-a, O="Partner, Inc."');
    expect(inspection.selfSigned).toBe(true);
    expect(inspection.notAfter.getTime()).toBe(certificate.notAfter.getTime());
    expect(inspection.notBefore.getTime()).toBe(certificate.notBefore.getTime());
  });

  test('a PFX carrying its chain is described by the certificate that has the private key', () => {
    const root = issueCertificate({ subject: 'CN=Contoso Root', ca: true, keyKind: 'rsa' });
    const intermediate = issueCertificate({ subject: 'CN=Contoso Issuing CA', ca: true, issuer: root });
    const leaf = issueCertificate({ subject: 'CN=partner-b', issuer: intermediate });
    // Chain certificates first in the file, so "the first certificate" would be wrong.
    const content = readFileSync(writePfx(leaf, { password: PASSWORD, chain: [root, intermediate] }));
    const inspection = inspectPfx(content, PASSWORD);
    expect(inspection.thumbprint).toBe(leaf.thumbprint);
    expect(inspection.issuer).toBe('CN=Contoso Issuing CA');
    expect(inspection.selfSigned).toBe(false);
  });

  test.each([
    ['wrong password', 'wrong-password', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD }), password: 'wrong' })],
    ['legacy RC2 encryption', 'legacy-encryption', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a', keyKind: 'rsa' }), { password: PASSWORD, encryption: 'rc2' }), password: PASSWORD })],
    ['no private key', 'no-private-key', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutKey: true }), password: PASSWORD })],
    ['a key without any certificate', 'key-without-certificate', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutCertificate: true }), password: PASSWORD })],
    ['a key with only another key\'s certificate', 'key-without-certificate', () => ({ file: keyWithOtherCertificate(), password: PASSWORD })],
    ['no integrity MAC', 'no-mac', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, withoutMac: true }), password: PASSWORD })],
    ['a key bag in clear', 'unprotected-key', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, unencryptedKey: true }), password: PASSWORD })],
    ['an empty password', 'empty-password', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: '' }), password: '' })],
    ['an empty password, asked with another one', 'empty-password', () => ({ file: writePfx(issueCertificate({ subject: 'CN=a' }), { password: '' }), password: PASSWORD })],
  ] as const)('%s is reported as %s', (_label, problem, make) => {
    const { file, password } = make();
    expect(problemOf(() => inspectPfx(readFileSync(file), password))).toBe(problem);
  });

  test('a file that is not a PFX is reported as such', () => {
    expect(problemOf(() => inspectPfx(Buffer.from(issueCertificate({ subject: 'CN=a' }).pem), PASSWORD))).toBe('not-pfx');
    expect(problemOf(() => inspectPfx(Buffer.from('hello'), PASSWORD))).toBe('not-pfx');
  });

  test('a BER-encoded PFX (as Java keystores write them) is read like its DER form', () => {
    const certificate = issueCertificate({ subject: 'CN=partner-ber' });
    const inspection = inspectPfx(readFileSync(rewriteAsBer(writePfx(certificate, { password: PASSWORD }))), PASSWORD);
    expect(inspection.thumbprint).toBe(certificate.thumbprint);
  });

  test.each([
    ['outside', {}],
    ['inside the containers too', { inner: true }],
  ])('a PFX BER-encoded %s with its key in clear is refused like its DER form', (_label, options) => {
    const file = rewriteAsBer(writePfx(issueCertificate({ subject: 'CN=a' }), { password: PASSWORD, unencryptedKey: true }), options);
    expect(problemOf(() => checkPfxProtection(readFileSync(file)))).toBe('unprotected-key');
  });

  test('a file inspected with its password is then found protected without it, and one with an empty password is refused either way', () => {
    const protectedContent = readFileSync(writePfx(issueCertificate({ subject: 'CN=opened-first' }), { password: PASSWORD }));
    expect(inspectPfx(protectedContent, PASSWORD).subject).toBe('CN=opened-first');
    expect(problemOf(() => checkPfxProtection(protectedContent))).toBeUndefined();
    const emptyContent = readFileSync(writePfx(issueCertificate({ subject: 'CN=empty' }), { password: '' }));
    expect(problemOf(() => inspectPfx(emptyContent, PASSWORD))).toBe('empty-password');
    expect(problemOf(() => checkPfxProtection(emptyContent))).toBe('empty-password');
    expect(problemOf(() => inspectPfx(emptyContent, ''))).toBe('empty-password');
  });

  test('the same file and password are opened once', () => {
    const content = readFileSync(writePfx(issueCertificate({ subject: 'CN=cached' }), { password: PASSWORD }));
    const before = pfxInspectionCount();
    const first = inspectPfx(content, PASSWORD);
    const second = inspectPfx(Buffer.from(content), PASSWORD);
    expect(second).toBe(first);
    expect(pfxInspectionCount()).toBe(before + 1);
  });
});
