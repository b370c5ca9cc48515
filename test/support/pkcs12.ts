import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { DER_TAG, derChildren, readSingleDerElement, DerElement } from '../../src/policy/simulator/der-reader';
import { explicit, octetString, sequence, tagged } from './x509';

/*
 * PKCS#12 files that openssl does not write: BER-encoded ones (as Java keystores and
 * BouncyCastle write them) and one whose private key comes without its certificate.
 */

const CONSTRUCTED = 0x20;
const OID_DATA = Buffer.from('06092a864886f70d010701', 'hex');
const SHA256_ALGORITHM = Buffer.from('300d06096086480165030402010500', 'hex');
const ITERATIONS_2048 = Buffer.from('02020800', 'hex');
const CHUNK = 64;

/**
 * Writes `pfx` again with indefinite lengths and chunked OCTET STRINGs. By default only the
 * outer structure: same content, so the MAC still holds. With `inner`, the contents of the data
 * OCTET STRINGs too, which changes what the MAC covers (the file then fails MAC verification).
 */
export function rewriteAsBer(file: string, options: { inner?: boolean } = {}): string {
  const out = file.replace(/\.pfx$/, options.inner ? '-ber-inner.pfx' : '-ber.pfx');
  writeFileSync(out, ber(readSingleDerElement(readFileSync(file)), options.inner ?? false));
  return out;
}

function ber(element: DerElement, inner: boolean): Buffer {
  if (element.tag & CONSTRUCTED) {
    return Buffer.concat([Buffer.from([element.tag, 0x80]), ...derChildren(element).map((child) => ber(child, inner)), Buffer.from([0, 0])]);
  }
  if (element.tag !== DER_TAG.OCTET_STRING) return element.encoded;
  const content = inner && element.content[0] === DER_TAG.SEQUENCE ? berOrAsIs(element.content) : element.content;
  if (content.length <= CHUNK) return octetString(content);
  const chunks: Buffer[] = [];
  for (let i = 0; i < content.length; i += CHUNK) chunks.push(octetString(content.subarray(i, i + CHUNK)));
  return Buffer.concat([Buffer.from([DER_TAG.OCTET_STRING | CONSTRUCTED, 0x80]), ...chunks, Buffer.from([0, 0])]);
}

/** Nested DER (an AuthenticatedSafe, a SafeContents) in BER; other octets as they are. */
function berOrAsIs(content: Buffer): Buffer {
  try {
    return ber(readSingleDerElement(content), true);
  } catch {
    return content;
  }
}

/**
 * A PFX holding the containers of `keyFile` (a key without certificate) and of `certificateFile`
 * (a certificate of another key), both made with `password`, under a fresh SHA-256 MAC.
 */
export function mergePfx(keyFile: string, certificateFile: string, password: string): string {
  const containers = [keyFile, certificateFile].flatMap((file) => derChildren(readSingleDerElement(authenticatedSafeOf(readFileSync(file)))));
  const authenticatedSafe = sequence(containers.map((container) => container.encoded));
  const salt = randomBytes(8);
  const key = pkcs12MacKey(password, salt, 2048);
  const mac = createHmac('sha256', key).update(authenticatedSafe).digest();
  const pfx = sequence([
    tagged(DER_TAG.INTEGER, Buffer.from([3])),
    sequence([OID_DATA, explicit(0, octetString(authenticatedSafe))]),
    sequence([sequence([SHA256_ALGORITHM, octetString(mac)]), octetString(salt), ITERATIONS_2048]),
  ]);
  const out = keyFile.replace(/\.pfx$/, '-merged.pfx');
  writeFileSync(out, pfx);
  return out;
}

function authenticatedSafeOf(pfx: Buffer): Buffer {
  const [, authSafe] = derChildren(readSingleDerElement(pfx));
  const [, content] = derChildren(authSafe);
  return derChildren(content)[0].content;
}

/** RFC 7292 appendix B.2 key derivation (ID 3, MAC key), SHA-256, for a 32-byte key. */
function pkcs12MacKey(password: string, salt: Buffer, iterations: number): Buffer {
  const v = 64;
  const fill = (bytes: Buffer) => {
    const length = v * Math.ceil(bytes.length / v);
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = bytes[i % bytes.length];
    return out;
  };
  const bmpPassword = Buffer.concat([Buffer.from(password, 'utf16le').swap16(), Buffer.alloc(2)]);
  let block = Buffer.concat([Buffer.alloc(v, 3), fill(salt), fill(bmpPassword)]);
  for (let i = 0; i < iterations; i++) block = createHash('sha256').update(block).digest();
  return block;
}
