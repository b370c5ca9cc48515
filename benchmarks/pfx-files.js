'use strict';
// PFX files for the benchmark, made with the openssl CLI in a temporary directory (never
// committed), with the public facts a hand-written stack would copy into its resources: the
// thumbprint, names and validity of each certificate and the file's content hash.
const { execFileSync } = require('node:child_process');
const { createHash, X509Certificate } = require('node:crypto');
const { readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

/**
 * `count` PFX files in `dir`, each with its own certificate (one EC P-256 key signs them all,
 * which keeps generation fast; every file, certificate and thumbprint differs).
 */
function makePfxFiles(dir, prefix, count, password) {
  const key = join(dir, `${prefix}.key`);
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key], { stdio: 'pipe' });
  const files = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    const pem = join(dir, `${name}.pem`);
    const pfx = join(dir, `${name}.pfx`);
    execFileSync('openssl', ['req', '-x509', '-key', key, '-out', pem, '-days', '400', '-subj', `/CN=${name}`], { stdio: 'pipe' });
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', pem, '-out', pfx, '-passout', `pass:${password}`], { stdio: 'pipe' });
    const certificate = new X509Certificate(readFileSync(pem));
    rmSync(pem);
    files.push({
      path: pfx,
      thumbprint: certificate.fingerprint.replace(/:/g, ''),
      subject: certificate.subject,
      issuer: certificate.issuer,
      notBefore: new Date(certificate.validFrom).toISOString(),
      notAfter: new Date(certificate.validTo).toISOString(),
      sha256Prefix: createHash('sha256').update(readFileSync(pfx)).digest('hex').slice(0, 8),
    });
  }
  rmSync(key);
  return { password, files };
}

module.exports = { makePfxFiles };
