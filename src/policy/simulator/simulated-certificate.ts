import { createHash, X509Certificate } from 'node:crypto';
import {
  DER_TAG,
  DerElement,
  derChildren,
  expectTag,
  readObjectIdentifier,
  readSingleDerElement,
  readTime,
} from './der-reader';
import { COMMON_NAME_OID, formatDotNetName, NameAttribute, readNameAttributes } from './dotnet-name';

const BASIC_CONSTRAINTS_OID = '2.5.29.19';
const SUBJECT_ALT_NAME_OID = '2.5.29.17';
const DNS_NAME_TAG = 0x82;

/**
 * What is known of a certificate without its DER bytes, e.g. from a synthesized plan: a
 * certificate uploaded to APIM whose thumbprint, names and validity period were recorded, but
 * whose file cannot be opened without its password.
 */
export interface CertificateFacts {
  /** Upper-case hex SHA-1 thumbprint. */
  readonly thumbprint: string;
  /** Subject as .NET prints it. */
  readonly subject: string;
  /** Issuer as .NET prints it. */
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * Serial number, upper-case hex.
   * @default - none known: a `serial-number` claim never matches
   */
  readonly serialNumber?: string;
  /**
   * Most specific common name.
   * @default - the last `CN=` of `subject`
   */
  readonly commonName?: string;
  /** @default - none */
  readonly dnsNames?: readonly string[];
  /** @default false */
  readonly isCertificateAuthority?: boolean;
  /**
   * The certificate whose key signed this one (matched by thumbprint), or `'self'` for a
   * self-signed certificate.
   * @default - an issuer the simulation does not have: every chain check fails
   */
  readonly issuedBy?: SimulatedCertificate | 'self';
}

/**
 * A certificate as an APIM policy sees it (`X509Certificate2` in .NET): the values policies
 * compare, in the exact text .NET produces. Use it to write gate options that match a
 * certificate, e.g. `issuer: SimulatedCertificate.of(cert).issuer`.
 */
export class SimulatedCertificate {
  /** The .NET view of `certificate` (cached per certificate object). */
  public static of(certificate: X509Certificate): SimulatedCertificate {
    let view = cache.get(certificate);
    if (!view) {
      view = new SimulatedCertificate(certificate, undefined);
      cache.set(certificate, view);
    }
    return view;
  }

  /**
   * A certificate known only by its facts (a plan records them; its bytes are not at hand).
   * Chain checks follow `issuedBy` instead of verifying a signature.
   */
  public static fromFacts(facts: CertificateFacts): SimulatedCertificate {
    return new SimulatedCertificate(undefined, facts);
  }

  /** `Thumbprint`: upper-case hex SHA-1 of the DER encoding, no separators. */
  public readonly thumbprint: string;
  /** `Subject` and `SubjectName.Name`, e.g. `CN=partner-a, O="Contoso, Inc.", C=US`. */
  public readonly subject: string;
  /** `Issuer` and `IssuerName.Name`. */
  public readonly issuer: string;
  /** `SerialNumber`: upper-case hex of the DER integer's bytes, big-endian, leading zero byte kept. */
  public readonly serialNumber: string;
  /** `NotBefore`, as an instant. */
  public readonly notBefore: Date;
  /** `NotAfter`, as an instant. */
  public readonly notAfter: Date;
  /** Most specific common name (`GetNameInfo(SimpleName)`), if the subject has one. */
  public readonly commonName?: string;
  /** DNS names of the subject alternative name extension. */
  public readonly dnsNames: readonly string[];
  /** Basic constraints say this certificate is a certification authority. */
  public readonly isCertificateAuthority: boolean;

  /** The certificate's bytes, unless it was described by its facts. */
  public readonly x509?: X509Certificate;
  /** DER of the subject and issuer names: chain building matches issuers by name, byte for byte. */
  private readonly subjectNameDer?: Buffer;
  private readonly issuerNameDer?: Buffer;
  private readonly declaredIssuer?: SimulatedCertificate | 'self';
  private selfSigned?: boolean;

  private constructor(x509: X509Certificate | undefined, facts: CertificateFacts | undefined) {
    if (facts) {
      this.thumbprint = facts.thumbprint.toUpperCase();
      this.subject = facts.subject;
      this.issuer = facts.issuer;
      this.serialNumber = facts.serialNumber?.toUpperCase() ?? '';
      this.notBefore = facts.notBefore;
      this.notAfter = facts.notAfter;
      this.commonName = facts.commonName ?? lastCommonName(facts.subject);
      this.dnsNames = [...(facts.dnsNames ?? [])];
      this.isCertificateAuthority = facts.isCertificateAuthority ?? false;
      this.declaredIssuer = facts.issuedBy;
      return;
    }
    this.x509 = x509!;
    const certificate = readSingleDerElement(this.x509.raw);
    const [tbs] = derChildren(expectTag(certificate, DER_TAG.SEQUENCE, 'certificate'));
    const fields = derChildren(expectTag(tbs, DER_TAG.SEQUENCE, 'tbsCertificate'));
    // The version is an optional explicit [0] before the serial number.
    const [serial, , issuer, validity, subject, , ...rest] = fields[0].tag === 0xa0 ? fields.slice(1) : fields;
    const subjectAttributes = readNameAttributes(subject);
    const extensions = readExtensions(rest);

    this.thumbprint = createHash('sha1').update(this.x509.raw).digest('hex').toUpperCase();
    this.subject = formatDotNetName(subjectAttributes);
    this.issuer = formatDotNetName(readNameAttributes(issuer));
    this.serialNumber = expectTag(serial, DER_TAG.INTEGER, 'serial number').content.toString('hex').toUpperCase();
    const [notBefore, notAfter] = derChildren(expectTag(validity, DER_TAG.SEQUENCE, 'validity'));
    this.notBefore = readTime(notBefore);
    this.notAfter = readTime(notAfter);
    this.commonName = mostSpecificCommonName(subjectAttributes);
    this.dnsNames = dnsNamesOf(extensions.get(SUBJECT_ALT_NAME_OID));
    this.isCertificateAuthority = isCertificateAuthority(extensions.get(BASIC_CONSTRAINTS_OID));
    this.subjectNameDer = subject.encoded;
    this.issuerNameDer = issuer.encoded;
  }

  /** Within its validity period at `now` (both ends inclusive, as .NET's chain does). */
  public isValidAt(now: Date): boolean {
    return this.notBefore.getTime() <= now.getTime() && now.getTime() <= this.notAfter.getTime();
  }

  /** `candidate`'s subject is this certificate's issuer and its key made this signature. */
  public isIssuedBy(candidate: SimulatedCertificate): boolean {
    if (!this.x509) {
      const issuer = this.declaredIssuer === 'self' ? this : this.declaredIssuer;
      return issuer !== undefined && issuer.thumbprint === candidate.thumbprint;
    }
    if (!candidate.x509 || !this.issuerNameDer!.equals(candidate.subjectNameDer!)) return false;
    try {
      return this.x509.verify(candidate.x509.publicKey);
    } catch {
      return false;
    }
  }

  /** Issued by itself: a root, or a lone self-signed certificate. */
  public get isSelfSigned(): boolean {
    this.selfSigned ??= this.x509 ? this.isIssuedBy(this) : this.declaredIssuer === 'self';
    return this.selfSigned;
  }
}

const cache = new WeakMap<X509Certificate, SimulatedCertificate>();

/** Extension values by OID, from the optional explicit [3] after the public key. */
function readExtensions(optionalFields: DerElement[]): Map<string, Buffer> {
  const byOid = new Map<string, Buffer>();
  const wrapper = optionalFields.find((field) => field.tag === 0xa3);
  if (!wrapper) return byOid;
  const [list] = derChildren(wrapper);
  for (const extension of derChildren(expectTag(list, DER_TAG.SEQUENCE, 'extensions'))) {
    const parts = derChildren(extension);
    const value = parts[parts.length - 1];
    byOid.set(readObjectIdentifier(parts[0]), expectTag(value, DER_TAG.OCTET_STRING, 'extension value').content);
  }
  return byOid;
}

function isCertificateAuthority(value: Buffer | undefined): boolean {
  if (!value) return false;
  const [first] = derChildren(readSingleDerElement(value));
  return first !== undefined && first.tag === DER_TAG.BOOLEAN && first.content[0] !== 0;
}

function dnsNamesOf(value: Buffer | undefined): string[] {
  if (!value) return [];
  return derChildren(readSingleDerElement(value))
    .filter((name) => name.tag === DNS_NAME_TAG)
    .map((name) => name.content.toString('latin1'));
}

/** The value of the last `CN=` in a .NET-printed name (quoted values unquoted). */
function lastCommonName(name: string): string | undefined {
  const matches = [...name.matchAll(/(?:^|,\s*)CN=("(?:[^"]|"")*"|[^,]*)/g)];
  const last = matches[matches.length - 1]?.[1];
  if (last === undefined) return undefined;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.trim();
}

function mostSpecificCommonName(rdns: NameAttribute[][]): string | undefined {
  for (let i = rdns.length - 1; i >= 0; i--) {
    const cn = rdns[i].find((attribute) => attribute.oid === COMMON_NAME_OID);
    if (cn) return cn.value;
  }
  return undefined;
}
