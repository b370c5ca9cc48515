import { createHash, generateKeyPairSync, KeyObject, sign, X509Certificate } from 'node:crypto';

/*
 * A small X.509 v3 certificate writer for tests: any validity window (expired, not yet valid),
 * any issuer, RSA or EC keys. Everything is generated per run; no key is ever committed.
 */

export type KeyKind = 'rsa' | 'ec';

export interface TestKeyPair {
  readonly kind: KeyKind;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface IssueOptions {
  /** Subject as RDNs, most specific first like .NET prints it: `CN=partner-a, O=Partner A`. */
  readonly subject: string;
  /** Signing authority; self-signed when omitted. */
  readonly issuer?: TestCertificateAuthority;
  readonly key?: TestKeyPair;
  readonly keyKind?: KeyKind;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly ca?: boolean;
  readonly dnsNames?: string[];
  readonly serialNumber?: string;
}

export interface TestCertificate {
  readonly der: Buffer;
  readonly pem: string;
  readonly x509: X509Certificate;
  readonly key: TestKeyPair;
  /** Upper-case hex SHA-1 of the DER, as APIM's Thumbprint. */
  readonly thumbprint: string;
  /** Subject in the order given (.NET style). */
  readonly subject: string;
  /** Issuer subject in .NET style. */
  readonly issuerSubject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly serialNumber: string;
}

/** A certificate that can sign others. */
export interface TestCertificateAuthority extends TestCertificate {}

const DAY = 24 * 60 * 60 * 1000;

export function newKeyPair(kind: KeyKind = 'ec'): TestKeyPair {
  const pair =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kind, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

let serialCounter = 1;

/** Issues a certificate (self-signed unless `issuer` is given). */
export function issueCertificate(options: IssueOptions): TestCertificate {
  const key = options.key ?? newKeyPair(options.keyKind ?? 'ec');
  const signer = options.issuer ?? undefined;
  const signingKey = signer ? signer.key : key;
  const now = Date.now();
  const notBefore = options.notBefore ?? new Date(now - DAY);
  const notAfter = options.notAfter ?? new Date(now + 90 * DAY);
  const serialNumber = options.serialNumber ?? (Date.now().toString(16) + (serialCounter++).toString(16).padStart(4, '0')).toUpperCase();
  const issuerSubject = signer ? signer.subject : options.subject;

  const extensions: Buffer[] = [
    extension('2.5.29.19', true, sequence(options.ca ? [boolean(true)] : [])),
    extension('2.5.29.15', true, keyUsage(options.ca ?? false)),
    extension('2.5.29.14', false, octetString(keyIdentifier(key.publicKey))),
  ];
  if (signer) {
    extensions.push(extension('2.5.29.35', false, sequence([tagged(0x80, keyIdentifier(signer.key.publicKey))])));
  }
  if (options.dnsNames?.length) {
    extensions.push(extension('2.5.29.17', false, sequence(options.dnsNames.map((n) => tagged(0x82, Buffer.from(n, 'ascii'))))));
  }

  const signatureAlgorithm = signingKey.kind === 'rsa' ? algorithm('1.2.840.113549.1.1.11', true) : algorithm('1.2.840.10045.4.3.2', false);
  const tbs = sequence([
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.from(serialNumber.length % 2 ? '0' + serialNumber : serialNumber, 'hex')),
    signatureAlgorithm,
    name(issuerSubject),
    sequence([time(notBefore), time(notAfter)]),
    name(options.subject),
    key.publicKey.export({ type: 'spki', format: 'der' }) as Buffer,
    explicit(3, sequence(extensions)),
  ]);
  const signature = sign('sha256', tbs, signingKey.privateKey);
  const der = sequence([tbs, signatureAlgorithm, bitString(signature)]);
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  return {
    der,
    pem,
    x509: new X509Certificate(der),
    key,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    subject: options.subject,
    issuerSubject,
    notBefore: truncateToSeconds(notBefore),
    notAfter: truncateToSeconds(notAfter),
    serialNumber: normalizeSerial(serialNumber),
  };
}

/** Private key in PKCS#8 PEM, for handing to openssl when a test builds a PFX. */
export function privateKeyPem(certificate: TestCertificate): string {
  return certificate.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

function normalizeSerial(hex: string): string {
  const stripped = hex.replace(/^0+/, '');
  return stripped.length === 0 ? '0' : stripped;
}

function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// --- DER encoding -----------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER element: tag, definite length, content. */
export function tagged(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

export function sequence(items: Buffer[]): Buffer {
  return tagged(0x30, Buffer.concat(items));
}

function set(items: Buffer[]): Buffer {
  return tagged(0x31, Buffer.concat(items));
}

export function explicit(n: number, content: Buffer): Buffer {
  return tagged(0xa0 + n, content);
}

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
  if (b[0] >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tagged(0x02, b);
}

function boolean(value: boolean): Buffer {
  return tagged(0x01, Buffer.from([value ? 0xff : 0]));
}

export function octetString(content: Buffer): Buffer {
  return tagged(0x04, content);
}

function bitString(content: Buffer): Buffer {
  return tagged(0x03, Buffer.concat([Buffer.from([0]), content]));
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [40 * parts[0] + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    let rest = part >> 7;
    while (rest > 0) {
      chunk.unshift(0x80 | (rest & 0x7f));
      rest >>= 7;
    }
    bytes.push(...chunk);
  }
  return tagged(0x06, Buffer.from(bytes));
}

function algorithm(dotted: string, nullParameters: boolean): Buffer {
  return sequence(nullParameters ? [oid(dotted), Buffer.from([0x05, 0x00])] : [oid(dotted)]);
}

const ATTRIBUTE_OIDS: Record<string, string> = {
  CN: '2.5.4.3', C: '2.5.4.6', L: '2.5.4.7', S: '2.5.4.8', ST: '2.5.4.8', O: '2.5.4.10', OU: '2.5.4.11', E: '1.2.840.113549.1.9.1',
};

/** Splits `CN=a, O="b, c"` into RDNs, honouring quotes. */
export function splitDistinguishedName(dn: string): Array<[string, string]> {
  const parts: Array<[string, string]> = [];
  let i = 0;
  while (i < dn.length) {
    const eq = dn.indexOf('=', i);
    const type = dn.slice(i, eq).trim();
    let j = eq + 1;
    let value = '';
    if (dn[j] === '"') {
      j++;
      while (j < dn.length && dn[j] !== '"') value += dn[j++];
      j++;
    } else {
      while (j < dn.length && dn[j] !== ',') value += dn[j++];
      value = value.trim();
    }
    parts.push([type, value]);
    while (j < dn.length && (dn[j] === ',' || dn[j] === ' ')) j++;
    i = j;
  }
  return parts;
}

/** A Name from a .NET-order DN (most specific first); DER stores the reverse order. */
function name(dn: string): Buffer {
  const rdns = splitDistinguishedName(dn).reverse().map(([type, value]) => {
    const attrOid = ATTRIBUTE_OIDS[type.toUpperCase()];
    if (!attrOid) throw new Error(`unsupported DN attribute ${type}`);
    const encoded = type.toUpperCase() === 'C' ? tagged(0x13, Buffer.from(value, 'ascii')) : tagged(0x0c, Buffer.from(value, 'utf8'));
    return set([sequence([oid(attrOid), encoded])]);
  });
  return sequence(rdns);
}

function time(date: Date): Buffer {
  const iso = truncateToSeconds(date).toISOString(); // 2026-11-25T04:28:43.000Z
  const year = date.getUTCFullYear();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  return year >= 1950 && year < 2050 ? tagged(0x17, Buffer.from(digits.slice(2) + 'Z', 'ascii')) : tagged(0x18, Buffer.from(digits + 'Z', 'ascii'));
}

function extension(dotted: string, critical: boolean, value: Buffer): Buffer {
  return sequence(critical ? [oid(dotted), boolean(true), octetString(value)] : [oid(dotted), octetString(value)]);
}

function keyUsage(ca: boolean): Buffer {
  // digitalSignature (bit 0); CA: keyCertSign (5) and cRLSign (6).
  const bits = ca ? 0b10000110 : 0b10000000;
  return tagged(0x03, Buffer.from([ca ? 1 : 7, bits]));
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' }) as Buffer).digest();
}
