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
 * A certificate as an APIM policy sees it (`X509Certificate2` in .NET): the values policies
 * compare, in the exact text .NET produces. Use it to write gate options that match a
 * certificate, e.g. `issuer: SimulatedCertificate.of(cert).issuer`.
 */
export class SimulatedCertificate {
  /** The .NET view of `certificate` (cached per certificate object). */
  public static of(certificate: X509Certificate): SimulatedCertificate {
    let view = cache.get(certificate);
    if (!view) {
      view = new SimulatedCertificate(certificate);
      cache.set(certificate, view);
    }
    return view;
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

  /** DER of the subject and issuer names: chain building matches issuers by name, byte for byte. */
  private readonly subjectNameDer: Buffer;
  private readonly issuerNameDer: Buffer;
  private selfSigned?: boolean;

  private constructor(public readonly x509: X509Certificate) {
    const certificate = readSingleDerElement(x509.raw);
    const [tbs] = derChildren(expectTag(certificate, DER_TAG.SEQUENCE, 'certificate'));
    const fields = derChildren(expectTag(tbs, DER_TAG.SEQUENCE, 'tbsCertificate'));
    // The version is an optional explicit [0] before the serial number.
    const [serial, , issuer, validity, subject, , ...rest] = fields[0].tag === 0xa0 ? fields.slice(1) : fields;
    const subjectAttributes = readNameAttributes(subject);
    const extensions = readExtensions(rest);

    this.thumbprint = createHash('sha1').update(x509.raw).digest('hex').toUpperCase();
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
    if (!this.issuerNameDer.equals(candidate.subjectNameDer)) return false;
    try {
      return this.x509.verify(candidate.x509.publicKey);
    } catch {
      return false;
    }
  }

  /** Issued by itself: a root, or a lone self-signed certificate. */
  public get isSelfSigned(): boolean {
    this.selfSigned ??= this.isIssuedBy(this);
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

function mostSpecificCommonName(rdns: NameAttribute[][]): string | undefined {
  for (let i = rdns.length - 1; i >= 0; i--) {
    const cn = rdns[i].find((attribute) => attribute.oid === COMMON_NAME_OID);
    if (cn) return cn.value;
  }
  return undefined;
}
