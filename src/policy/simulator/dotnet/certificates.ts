import { X509Certificate } from 'node:crypto';
import { ConstructorSite, invoke, Library, property, takes, TypeMembers } from '../csharp/members';
import { BytesValue, Compiled, CsValue, DateTimeValue, Env, NameValue } from '../csharp/values';
import { DER_TAG, derChildren, readSingleDerElement } from '../der-reader';
import { SimulatedCertificate } from '../simulated-certificate';

/*
 * X509Certificate2 as policies read it: the names and dates .NET prints, chain validation
 * (`Verify()`, `VerifyNoRevocation()`), and certificates made from bytes, e.g. a certificate a
 * gateway in front of APIM forwards base64-encoded in a header.
 */

const certificate = (target: CsValue) => target as SimulatedCertificate;
const text = (read: (c: SimulatedCertificate) => string) => property('string', (target) => read(certificate(target)));

const MEMBERS: Readonly<Record<string, TypeMembers>> = {
  X509Certificate2: {
    properties: {
      Thumbprint: text((c) => c.thumbprint),
      Subject: text((c) => c.subject),
      Issuer: text((c) => c.issuer),
      SerialNumber: text((c) => c.serialNumber),
      SubjectName: property('X500DistinguishedName', (target) => new NameValue(certificate(target).subject)),
      IssuerName: property('X500DistinguishedName', (target) => new NameValue(certificate(target).issuer)),
      NotBefore: property('DateTime', (target) => new DateTimeValue(certificate(target).notBefore.getTime())),
      NotAfter: property('DateTime', (target) => new DateTimeValue(certificate(target).notAfter.getTime())),
    },
    methods: {
      Verify: (site) => {
        if (!takes(site)) throw site.notCompiling(`Verify takes 0 arguments, not ${site.argTypes.length}`);
        return invoke(site, 'bool', (receiver, _args, env) => env.host.verify(certificate(receiver), true));
      },
      VerifyNoRevocation: (site) => {
        if (!takes(site)) throw site.notCompiling(`VerifyNoRevocation takes 0 arguments, not ${site.argTypes.length}`);
        return invoke(site, 'bool', (receiver, _args, env) => env.host.verify(certificate(receiver), false));
      },
    },
  },
  X500DistinguishedName: {
    properties: { Name: property('string', (target) => (target as NameValue).name) },
  },
};

/** `new X509Certificate2(byte[])` for DER bytes; other encodings the .NET loaders accept are not simulated. */
function fromBytes(site: ConstructorSite): Compiled | undefined {
  if (site.args.length !== 1 || site.args[0].type !== 'byte[]') return undefined;
  const [bytes] = site.args;
  return {
    type: 'X509Certificate2',
    run: (env: Env) => {
      const value = bytes.run(env);
      if (value === null || (value as BytesValue).bytes.length === 0) {
        throw site.exception('ArgumentException', "Array may not be empty or null. (Parameter 'rawData')");
      }
      return loadDer((value as BytesValue).bytes, site);
    },
  };
}

function loadDer(bytes: Buffer, site: ConstructorSite): SimulatedCertificate {
  if (bytes.subarray(0, 11).toString('latin1') === '-----BEGIN ') {
    throw site.unsupportedValue('loading a PEM certificate from bytes is not simulated (how .NET reads PEM differs between runtimes)');
  }
  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(bytes);
  } catch {
    if (looksLikePkcs12(bytes)) throw site.unsupportedValue('loading a PKCS#12 (.pfx) file from bytes is not simulated');
    throw site.exception('CryptographicException', 'Cannot find the requested object.');
  }
  try {
    readSingleDerElement(bytes);
  } catch {
    throw site.unsupportedValue('certificate bytes with data after the DER encoding are not simulated');
  }
  return SimulatedCertificate.of(x509);
}

/** A PFX is a SEQUENCE that starts with the version INTEGER 3; a certificate starts with a SEQUENCE. */
function looksLikePkcs12(bytes: Buffer): boolean {
  try {
    const [version] = derChildren(readSingleDerElement(bytes));
    return version?.tag === DER_TAG.INTEGER;
  } catch {
    return false;
  }
}

export const CERTIFICATES: Library = {
  members: (type) => MEMBERS[type],
  constructors: { X509Certificate2: fromBytes },
};
