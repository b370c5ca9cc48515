import { createHash, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
// The .NET view is what policies compare, so inspection reports names exactly as the simulator reads them.
import { SimulatedCertificate } from '../policy/simulator/simulated-certificate';

/** What synth-time inspection learned from a PFX file. Public material only. */
export interface PfxInspection {
  /** Upper-case hex SHA-1 of the certificate, as APIM and `openssl x509 -fingerprint -sha1` show it. */
  readonly thumbprint: string;
  /** Subject in .NET form (`CN=…, O=…`), as policies compare it. */
  readonly subject: string;
  /** Issuer in .NET form. */
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Issuer equals subject and the certificate's own key verifies its signature. */
  readonly selfSigned: boolean;
  /** Upper-case hex serial number. */
  readonly serialNumber: string;
}

/** Why a PFX could not be inspected; `reason` lets callers word the fix. */
export type PfxProblem = 'not-pfx' | 'wrong-password' | 'legacy-encryption' | 'no-private-key' | 'no-certificate';

export class PfxInspectionError extends Error {
  constructor(public readonly problem: PfxProblem, message: string) {
    super(message);
    this.name = 'PfxInspectionError';
  }
}

const cache = new Map<string, PfxInspection>();

/**
 * Opens a PFX with its password and describes the certificate that belongs to the private key
 * (the leaf, when the file also carries its chain).
 *
 * Node's own TLS stack (OpenSSL 3) opens AES/PBES2 and 3DES files, RSA and EC keys alike, which
 * pure-JS PKCS#12 readers do not. Results are cached by content and password, so a file used by
 * several constructs is opened once.
 */
export function inspectPfx(content: Uint8Array, password: string): PfxInspection {
  const key = createHash('sha256').update(content).update('\0').update(password, 'utf8').digest('hex');
  const cached = cache.get(key);
  if (cached) return cached;
  const inspection = describe(new X509Certificate(leafCertificate(content, password)));
  cache.set(key, inspection);
  return inspection;
}

/** How many distinct PFX files (by content and password) have been opened; for benchmarks. */
export function pfxInspectionCount(): number {
  return cache.size;
}

function leafCertificate(content: Uint8Array, password: string): Buffer {
  // Loaded on first use: node:tls costs load time in every app, PFX files are opened by few.
  const { createSecureContext, TLSSocket: Socket } = require('node:tls') as typeof import('node:tls');
  let socket: TLSSocket | undefined;
  try {
    socket = new Socket(null as never, { secureContext: createSecureContext({ pfx: Buffer.from(content), passphrase: password }) });
    const certificate = socket.getCertificate();
    if (!certificate || !('raw' in certificate) || !certificate.raw) {
      throw new PfxInspectionError('no-certificate', 'contains no certificate');
    }
    return certificate.raw;
  } catch (error) {
    if (error instanceof PfxInspectionError) throw error;
    throw classify(error as Error & { code?: string });
  } finally {
    socket?.destroy();
  }
}

function classify(error: Error & { code?: string }): PfxInspectionError {
  const message = error.message ?? '';
  if (/mac verify failure/i.test(message)) {
    return new PfxInspectionError('wrong-password', 'cannot be opened with the given password (MAC verification failed)');
  }
  if (error.code === 'ERR_CRYPTO_UNSUPPORTED_OPERATION' || /unsupported/i.test(message)) {
    return new PfxInspectionError(
      'legacy-encryption',
      'uses legacy RC2/RC4 encryption, which OpenSSL 3 no longer opens. Re-export it with AES-256: ' +
        '"openssl pkcs12 -legacy -in old.pfx -out bundle.pem -nodes && openssl pkcs12 -export -in bundle.pem -out new.pfx" ' +
        '(or tick "AES256-SHA256" in the Windows export wizard)',
    );
  }
  if (/private key/i.test(message)) {
    return new PfxInspectionError('no-private-key', 'contains no private key. Export the certificate together with its private key');
  }
  if (/load certificate/i.test(message)) {
    return new PfxInspectionError('no-certificate', 'contains no certificate');
  }
  return new PfxInspectionError('not-pfx', 'is not a PKCS#12 (.pfx/.p12) file. Export the certificate with its private key as .pfx');
}

function describe(certificate: X509Certificate): PfxInspection {
  const view = SimulatedCertificate.of(certificate);
  return {
    thumbprint: view.thumbprint,
    subject: view.subject,
    issuer: view.issuer,
    notBefore: view.notBefore,
    notAfter: view.notAfter,
    selfSigned: view.isSelfSigned,
    serialNumber: view.serialNumber,
  };
}
