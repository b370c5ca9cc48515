import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyPem, TestCertificate } from './x509';

export type PfxEncryption = 'aes' | '3des' | 'rc2';

export interface PfxOptions {
  readonly password: string;
  /** OpenSSL 3's default is AES-256 (PBES2); 3DES is what older Windows exports use; RC2 is legacy. */
  readonly encryption?: PfxEncryption;
  /** Further certificates to put into the file (the chain). */
  readonly chain?: TestCertificate[];
  /** Leave the private key out. */
  readonly withoutKey?: boolean;
  /** Leave the certificate out (key only). */
  readonly withoutCertificate?: boolean;
  /** Store the private key in a plain keyBag, readable without the password (`-keypbe NONE`). */
  readonly unencryptedKey?: boolean;
  /** Store the certificates unencrypted too (`-certpbe NONE`). */
  readonly unencryptedCertificates?: boolean;
  /** Leave out the integrity MAC (`-nomac`). */
  readonly withoutMac?: boolean;
}

const ENCRYPTION_ARGS: Record<PfxEncryption, string[]> = {
  aes: [],
  '3des': ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
  rc2: ['-legacy'],
};

/** Writes a PFX for `certificate` into a fresh temporary directory with the openssl CLI; returns its path. */
export function writePfx(certificate: TestCertificate, options: PfxOptions): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-pfx-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const chainFile = join(dir, 'chain.pem');
  const out = join(dir, 'certificate.pfx');
  writeFileSync(keyFile, privateKeyPem(certificate), { mode: 0o600 });
  writeFileSync(certFile, certificate.pem);
  const args = ['pkcs12', '-export', '-out', out, '-passout', `pass:${options.password}`, ...ENCRYPTION_ARGS[options.encryption ?? 'aes']];
  if (options.unencryptedKey) args.push('-keypbe', 'NONE');
  if (options.unencryptedCertificates) args.push('-certpbe', 'NONE');
  if (options.withoutMac) args.push('-nomac');
  if (options.withoutCertificate) {
    args.push('-nocerts', '-inkey', keyFile);
  } else {
    args.push('-in', certFile);
    args.push(...(options.withoutKey ? ['-nokeys'] : ['-inkey', keyFile]));
  }
  if (options.chain?.length) {
    writeFileSync(chainFile, options.chain.map((c) => c.pem).join(''));
    args.push('-certfile', chainFile);
  }
  execFileSync('openssl', args, { stdio: 'pipe' });
  return out;
}

/** SHA-1 fingerprint as `openssl x509 -fingerprint -sha1` prints it, without colons. */
export function opensslThumbprint(certificate: TestCertificate): string {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-fp-'));
  const certFile = join(dir, 'cert.pem');
  writeFileSync(certFile, certificate.pem);
  const out = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
  return out.trim().split('=')[1].replace(/:/g, '');
}
