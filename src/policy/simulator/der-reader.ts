/*
 * Just enough of a DER reader to see an X.509 certificate the way .NET does (names, serial
 * number, validity, basic constraints, DNS names). Node's X509Certificate exposes these only as
 * OpenSSL-formatted text, which loses the attribute order within names and the string types.
 */

/** One DER element: its tag byte, its content and its complete encoding. */
export interface DerElement {
  readonly tag: number;
  readonly content: Buffer;
  readonly encoded: Buffer;
}

export const DER_TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  OBJECT_IDENTIFIER: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Thrown for bytes that are not the DER the reader expects. */
export class DerFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerFormatError';
  }
}

/** Reads the element that starts at `offset`; returns it and the offset after it. */
export function readDerElement(buffer: Buffer, offset = 0): { readonly element: DerElement; readonly next: number } {
  if (offset + 2 > buffer.length) throw new DerFormatError('truncated DER element');
  const tag = buffer[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerFormatError('multi-byte DER tags are not used in certificates');
  let length = buffer[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4 || start + lengthBytes > buffer.length) {
      throw new DerFormatError('unsupported DER length');
    }
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + buffer[start + i];
    start += lengthBytes;
  }
  const end = start + length;
  if (end > buffer.length) throw new DerFormatError('DER element runs past the end of its container');
  return {
    element: { tag, content: buffer.subarray(start, end), encoded: buffer.subarray(offset, end) },
    next: end,
  };
}

/** The elements inside a constructed element (SEQUENCE, SET, explicit tag). */
export function derChildren(parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < parent.content.length) {
    const { element, next } = readDerElement(parent.content, offset);
    children.push(element);
    offset = next;
  }
  return children;
}

/** The one element that fills `buffer`. */
export function readSingleDerElement(buffer: Buffer): DerElement {
  const { element, next } = readDerElement(buffer, 0);
  if (next !== buffer.length) throw new DerFormatError('unexpected bytes after a DER element');
  return element;
}

export function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag) {
    throw new DerFormatError(`${what}: expected DER tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  }
  return element;
}

/** Dotted form of an OBJECT IDENTIFIER. */
export function readObjectIdentifier(element: DerElement): string {
  const bytes = expectTag(element, DER_TAG.OBJECT_IDENTIFIER, 'object identifier').content;
  if (bytes.length === 0) throw new DerFormatError('empty object identifier');
  const parts: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift()!;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** UTCTime or GeneralizedTime (the forms RFC 5280 allows: seconds, `Z`). */
export function readTime(element: DerElement): Date {
  const text = element.content.toString('latin1');
  const match =
    element.tag === DER_TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === DER_TAG.GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text)
        : null;
  if (!match) throw new DerFormatError(`unsupported certificate time ${JSON.stringify(text)}`);
  let year = Number(match[1]);
  // RFC 5280: two-digit years 50-99 are 19xx, 00-49 are 20xx.
  if (element.tag === DER_TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, minute, second] = match.slice(2, 7).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}
