import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificateOptions {
  /** e.g. `CN=partner-a` (OpenSSL's `/CN=…` form is derived). */
  readonly subject: string;
  readonly ca?: boolean;
  readonly days?: number;
}

export interface TestCertificate {
  readonly pem: string;
  readonly derBase64: string;
  readonly thumbprint: string;
}

/**
 * A fresh self-signed certificate made with the openssl CLI for this test run only; the private
 * key is thrown away with the temporary directory, so none is ever committed.
 */
export function makeCertificatePem(options: TestCertificateOptions): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'apim-mtls-cert-'));
  try {
    const subject = '/' + options.subject.split(/,\s*/).join('/');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', String(options.days ?? 30), '-subj', subject,
      '-addext', options.ca ? 'basicConstraints=critical,CA:TRUE' : 'basicConstraints=critical,CA:FALSE',
    ], { stdio: 'pipe' });
    const pem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const certificate = new X509Certificate(pem);
    return {
      pem,
      derBase64: certificate.raw.toString('base64'),
      thumbprint: certificate.fingerprint.replace(/:/g, ''),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
