import {
  DER_TAG,
  DerElement,
  derChildren,
  DerFormatError,
  expectTag,
  readObjectIdentifier,
  readSingleDerElement,
} from '../policy/simulator/der-reader';

/*
 * The outer layers of a PKCS#12 (.pfx) file, read without its password: whether it carries an
 * integrity MAC, and which of its containers and bags anyone can read. A private key in a
 * `keyBag` inside a plain `data` container is stored in clear: whoever holds the file (a CI
 * artifact of cdktf.out, a state backup) has the key, whatever the password.
 */

/** What the envelope of a PFX shows without its password. */
export interface Pkcs12Envelope {
  /** The file carries an integrity MAC (password integrity mode). */
  readonly hasMac: boolean;
  /** Bags holding a private key or secret in clear (`keyBag`, `secretBag` in a `data` container). */
  readonly clearKeyBags: number;
  /** Private keys encrypted with the password (`pkcs8ShroudedKeyBag`). */
  readonly shroudedKeyBags: number;
  /** Containers encrypted as a whole (`encryptedData`, `envelopedData`), whose bags need the password. */
  readonly encryptedContainers: number;
}

/** Thrown for bytes that are not a PKCS#12 file this reader understands; the message says what is wrong. */
export class Pkcs12FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12FormatError';
  }
}

const OID = {
  DATA: '1.2.840.113549.1.7.1',
  SIGNED_DATA: '1.2.840.113549.1.7.2',
  ENVELOPED_DATA: '1.2.840.113549.1.7.3',
  ENCRYPTED_DATA: '1.2.840.113549.1.7.6',
  KEY_BAG: '1.2.840.113549.1.12.10.1.1',
  SHROUDED_KEY_BAG: '1.2.840.113549.1.12.10.1.2',
  SECRET_BAG: '1.2.840.113549.1.12.10.1.5',
  SAFE_CONTENTS_BAG: '1.2.840.113549.1.12.10.1.6',
} as const;

const CONTEXT_0 = 0xa0;
const MAX_NESTING = 8;

/** Reads the envelope of `content`. Throws Pkcs12FormatError when it is not a PKCS#12 file. */
export function readPkcs12Envelope(content: Uint8Array): Pkcs12Envelope {
  const counts = { clearKeyBags: 0, shroudedKeyBags: 0, encryptedContainers: 0 };
  try {
    const pfx = derChildren(expectTag(readDerOrBer(Buffer.from(content)), DER_TAG.SEQUENCE, 'PFX'));
    if (pfx.length < 2 || pfx.length > 3) throw new Pkcs12FormatError('is not a PKCS#12 structure');
    const version = expectTag(pfx[0], DER_TAG.INTEGER, 'PFX version').content;
    if (version.length !== 1 || version[0] !== 3) throw new Pkcs12FormatError(`has PKCS#12 version ${version.toString('hex')}, not 3`);
    const [authSafeType, authSafe] = contentInfo(pfx[1]);
    if (authSafeType === OID.SIGNED_DATA) {
      throw new Pkcs12FormatError('uses public-key integrity mode (a signed PFX), which API Management does not accept');
    }
    if (authSafeType !== OID.DATA) throw new Pkcs12FormatError('is not a PKCS#12 file protected by a password');
    for (const container of derChildren(readDerOrBer(dataOctets(authSafe)))) {
      const [type, value] = contentInfo(container);
      if (type === OID.DATA) countBags(readDerOrBer(dataOctets(value)), counts, 0);
      else if (type === OID.ENCRYPTED_DATA || type === OID.ENVELOPED_DATA) counts.encryptedContainers += 1;
      else throw new Pkcs12FormatError(`holds a container of unknown type ${type}`);
    }
    return { hasMac: pfx.length === 3, ...counts };
  } catch (error) {
    if (error instanceof DerFormatError) throw new Pkcs12FormatError(`is not a PKCS#12 structure (${error.message})`);
    throw error;
  }
}

/** `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }` as type and content. */
function contentInfo(element: DerElement): [string, DerElement | undefined] {
  const [type, explicit] = derChildren(expectTag(element, DER_TAG.SEQUENCE, 'ContentInfo'));
  const value = explicit === undefined ? undefined : derChildren(expectTag(explicit, CONTEXT_0, 'ContentInfo content'))[0];
  return [readObjectIdentifier(type), value];
}

function dataOctets(value: DerElement | undefined): Buffer {
  if (value === undefined) throw new Pkcs12FormatError('has an empty data container');
  return expectTag(value, DER_TAG.OCTET_STRING, 'data').content;
}

function countBags(safeContents: DerElement, counts: { clearKeyBags: number; shroudedKeyBags: number }, depth: number): void {
  if (depth > MAX_NESTING) throw new Pkcs12FormatError('nests bags too deeply');
  for (const bag of derChildren(expectTag(safeContents, DER_TAG.SEQUENCE, 'SafeContents'))) {
    const [bagId, bagValue] = derChildren(expectTag(bag, DER_TAG.SEQUENCE, 'SafeBag'));
    switch (readObjectIdentifier(bagId)) {
      case OID.KEY_BAG:
      case OID.SECRET_BAG:
        counts.clearKeyBags += 1;
        break;
      case OID.SHROUDED_KEY_BAG:
        counts.shroudedKeyBags += 1;
        break;
      case OID.SAFE_CONTENTS_BAG: {
        const nested = bagValue === undefined ? undefined : derChildren(expectTag(bagValue, CONTEXT_0, 'safeContentsBag'))[0];
        if (nested === undefined) throw new Pkcs12FormatError('has an empty nested bag');
        countBags(nested, counts, depth + 1);
        break;
      }
      default:
      // Certificates, CRLs and unknown bags hold nothing secret.
    }
  }
}

/**
 * One element read as DER. PKCS#12 allows BER at every level, and some exporters (Java
 * keystores, BouncyCastle) write indefinite lengths and chunked OCTET STRINGs that the DER reader
 * refuses; those are re-encoded with definite lengths first.
 */
function readDerOrBer(content: Buffer): DerElement {
  try {
    return readSingleDerElement(content);
  } catch (error) {
    if (!(error instanceof DerFormatError)) throw error;
    const { der, next } = berToDer(content, 0, 0);
    if (next !== content.length) throw new DerFormatError('unexpected bytes after a BER element');
    return readSingleDerElement(der);
  }
}

const CONSTRUCTED = 0x20;
const END_OF_CONTENTS = 0x00;

/** Re-encodes the BER element at `offset` as DER; returns it and the offset after it. */
function berToDer(buffer: Buffer, offset: number, depth: number): { der: Buffer; next: number } {
  if (depth > 64 || offset + 2 > buffer.length) throw new DerFormatError('truncated or too deeply nested BER');
  const tag = buffer[offset];
  let position = offset + 1;
  const first = buffer[position++];
  const indefinite = first === 0x80;
  let length = first;
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 4 || position + count > buffer.length) throw new DerFormatError('unsupported BER length');
    length = buffer.readUIntBE(position, count);
    position += count;
  }
  if ((tag & CONSTRUCTED) === 0) {
    if (indefinite || position + length > buffer.length) throw new DerFormatError('invalid BER primitive');
    return { der: buffer.subarray(offset, position + length), next: position + length };
  }
  const end = indefinite ? buffer.length : position + length;
  if (end > buffer.length) throw new DerFormatError('BER element runs past its container');
  const parts: Buffer[] = [];
  while (indefinite ? buffer[position] !== END_OF_CONTENTS || buffer[position + 1] !== END_OF_CONTENTS : position < end) {
    if (position >= end) throw new DerFormatError('BER element without end-of-contents');
    const child = berToDer(buffer, position, depth + 1);
    parts.push(child.der);
    position = child.next;
  }
  const next = indefinite ? position + 2 : position;
  // A constructed OCTET STRING is a chunked primitive one: DER joins the chunks.
  if (tag === (DER_TAG.OCTET_STRING | CONSTRUCTED)) {
    const joined = Buffer.concat(parts.map((part) => readSingleDerElement(part).content));
    return { der: withLength(DER_TAG.OCTET_STRING, joined), next };
  }
  return { der: withLength(tag, Buffer.concat(parts)), next };
}

function withLength(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}
