import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
// The .NET view is what policies compare, so inspection reports names exactly as the simulator reads them.
import { SimulatedCertificate } from '../policy/simulator/simulated-certificate';
import { Pkcs12Envelope, Pkcs12FormatError, readPkcs12Envelope } from './pkcs12-envelope';
import { pfxFix } from './pfx-fix';

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

/** Why a PFX could not be inspected or cannot be used; lets callers word the fix. */
export type PfxProblem =
  | 'not-pfx'
  | 'wrong-password'
  | 'legacy-encryption'
  | 'no-private-key'
  | 'no-certificate'
  | 'key-without-certificate'
  | 'no-mac'
  | 'unprotected-key'
  | 'empty-password'
  | 'key-without-password'
  | 'several-keys';

export class PfxInspectionError extends Error {
  /**
   * @param problem what is wrong, for callers that word their own fix
   * @param diagnosis what is wrong, as a phrase that follows "PFX file <name>"
   * @param legacyEncryption the file also uses RC2/RC4, so a re-export must read it with `-legacy`
   */
  constructor(
    public readonly problem: PfxProblem,
    public readonly diagnosis: string,
    public readonly legacyEncryption = problem === 'legacy-encryption',
  ) {
    super(withFix(diagnosis, pfxFix(problem, { file: 'old.pfx', passwordVariable: 'PFX_PASSWORD' }, legacyEncryption)));
    this.name = 'PfxInspectionError';
  }
}

function withFix(diagnosis: string, fix: string | undefined): string {
  return fix === undefined ? diagnosis : `${diagnosis}. ${fix}`;
}

const inspections = new Map<string, PfxInspection>();
const envelopes = new Map<string, Pkcs12Envelope | PfxInspectionError>();

/**
 * Checks what can be checked without the password: that `content` is a PKCS#12 file with an
 * integrity MAC whose private key cannot be read without a password (no key stored in clear,
 * no empty password). Such a file may be copied into `cdktf.out` and Terraform state; the key
 * stays protected by the password. Throws PfxInspectionError.
 */
export function checkPfxProtection(content: Uint8Array): void {
  protectedEnvelope(content);
}

/**
 * Opens a PFX with its password and describes the certificate that belongs to the private key
 * (the leaf, when the file also carries its chain), after `checkPfxProtection`.
 *
 * Node's own TLS stack (OpenSSL 3) opens AES/PBES2 and 3DES files, RSA and EC keys alike, which
 * pure-JS PKCS#12 readers do not. Results are cached by content and password, so a file used by
 * several constructs is opened once.
 */
export function inspectPfx(content: Uint8Array, password: string): PfxInspection {
  const key = createHash('sha256').update(content).update('\0').update(password, 'utf8').digest('hex');
  const cached = inspections.get(key);
  if (cached) return cached;
  let leaf: Buffer | undefined;
  let openError: unknown;
  if (password !== '') {
    try {
      leaf = leafCertificate(content, password);
    } catch (error) {
      openError = error;
    }
  }
  // A file that opened is spared the checks opening proved; one that did not reports its
  // protection problems first, as checkPfxProtection would.
  const envelope = protectedEnvelope(content, leaf !== undefined);
  try {
    if (openError !== undefined) throw openError;
    leaf ??= leafCertificate(content, password);
  } catch (error) {
    // OpenSSL reports a key whose certificate is missing as "no certificate"; the envelope shows the key.
    if (error instanceof PfxInspectionError && error.problem === 'no-certificate' && envelope.shroudedKeys.length > 0) {
      throw new PfxInspectionError(
        'key-without-certificate',
        'holds a private key but not the certificate that belongs to it (any certificates in it, such as a CA chain, belong to other keys)',
      );
    }
    throw error;
  }
  const inspection = describe(new X509Certificate(leaf));
  inspections.set(key, inspection);
  return inspection;
}

/** How many distinct PFX files (by content and password) have been opened; for benchmarks. */
export function pfxInspectionCount(): number {
  return inspections.size;
}

/**
 * The envelope of a file that passed the protection checks; cached by content. `openedWithPassword`:
 * OpenSSL opened the file with a non-empty password, which verified the MAC with it, so the MAC
 * cannot verify with an empty password too (short of a collision of the key derivation) and that
 * check, an OpenSSL open of its own, is skipped. Each visible key is still tried without a password:
 * the key OpenSSL decrypted may be another one, inside an encrypted container.
 */
function protectedEnvelope(content: Uint8Array, openedWithPassword = false): Pkcs12Envelope {
  const key = createHash('sha256').update(content).digest('hex');
  let result = envelopes.get(key);
  if (result === undefined) {
    result = protectionOf(content, openedWithPassword);
    envelopes.set(key, result);
  }
  if (result instanceof PfxInspectionError) throw result;
  return result;
}

function protectionOf(content: Uint8Array, openedWithPassword: boolean): Pkcs12Envelope | PfxInspectionError {
  let envelope: Pkcs12Envelope;
  try {
    envelope = readPkcs12Envelope(content);
  } catch (error) {
    if (!(error instanceof Pkcs12FormatError)) throw error;
    return new PfxInspectionError('not-pfx', `is not a PKCS#12 (.pfx/.p12) file: it ${error.message}`);
  }
  if (!envelope.hasMac) {
    return new PfxInspectionError(
      'no-mac',
      'has no integrity MAC, so neither its password nor its content can be verified (OpenSSL refuses to open it)',
    );
  }
  if (envelope.clearKeyBags > 0) {
    return new PfxInspectionError(
      'unprotected-key',
      'stores its private key unencrypted (a keyBag outside any encrypted container): anyone with the file, such as a CI artifact of cdktf.out, can read the key without the password',
    );
  }
  const emptyPassword = openedWithPassword ? { opens: false, legacyEncryption: false } : openWithEmptyPassword(content);
  if (emptyPassword.opens) {
    return new PfxInspectionError(
      'empty-password',
      'has an empty password: anyone with the file, such as a CI artifact of cdktf.out, can read its private key',
      emptyPassword.legacyEncryption,
    );
  }
  // The MAC may use a real password while a key is encrypted with none: the key needs no MAC.
  if (envelope.shroudedKeys.some(opensWithoutPassword)) {
    return new PfxInspectionError(
      'key-without-password',
      'encrypts its private key with an empty password, though its MAC uses another: anyone with the file, such as a CI artifact of cdktf.out, can read the key',
    );
  }
  if (envelope.shroudedKeys.length > 1) {
    return new PfxInspectionError(
      'several-keys',
      `holds ${envelope.shroudedKeys.length} private keys: synth checks and pins the certificate of the first, and API Management may use another`,
    );
  }
  return envelope;
}

function opensWithoutPassword(encryptedPrivateKeyInfo: Buffer): boolean {
  try {
    createPrivateKey({ key: encryptedPrivateKeyInfo, format: 'der', type: 'pkcs8', passphrase: '' });
    return true;
  } catch {
    return false;
  }
}

/** Whether OpenSSL accepts the empty (or absent) password, that is whether the MAC check passes with it. */
function openWithEmptyPassword(content: Uint8Array): { readonly opens: boolean; readonly legacyEncryption: boolean } {
  try {
    leafCertificate(content, '');
    return { opens: true, legacyEncryption: false };
  } catch (error) {
    // Any problem found after the MAC check means the MAC accepted the empty password.
    const problem = (error as PfxInspectionError).problem;
    return { opens: problem !== 'wrong-password' && problem !== 'not-pfx', legacyEncryption: problem === 'legacy-encryption' };
  }
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
  if (/mac absent/i.test(message)) {
    return new PfxInspectionError('no-mac', 'has no integrity MAC, so neither its password nor its content can be verified');
  }
  if (error.code === 'ERR_CRYPTO_UNSUPPORTED_OPERATION' || /unsupported/i.test(message)) {
    return new PfxInspectionError('legacy-encryption', 'uses legacy RC2/RC4 encryption, which OpenSSL 3 no longer opens');
  }
  if (/private key/i.test(message)) {
    return new PfxInspectionError('no-private-key', 'contains no private key');
  }
  if (/load certificate/i.test(message)) {
    return new PfxInspectionError('no-certificate', 'contains no certificate');
  }
  return new PfxInspectionError('not-pfx', `is not a PKCS#12 (.pfx/.p12) file OpenSSL can read (${message})`);
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
