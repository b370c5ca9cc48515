import { readFileSync } from 'node:fs';
import { Pkcs12FormatError, readPkcs12Envelope } from '../../src/certificates/pkcs12-envelope';
import { writePfx } from '../support/pfx';
import { explicit, octetString, sequence, tagged } from '../support/x509';
import { issueCertificate } from '../support/x509';

const oid = (hex: string) => Buffer.from(hex, 'hex');
const DATA = oid('06092a864886f70d010701');
const SIGNED_DATA = oid('06092a864886f70d010702');
const KEY_BAG = oid('060b2a864886f70d010c0a0101');
const SAFE_CONTENTS_BAG = oid('060b2a864886f70d010c0a0106');

/** A PFX around one data container holding `bags`, with or without a (dummy) MAC. */
function pfx(bags: Buffer[], options: { mac?: boolean; version?: number; type?: Buffer } = {}): Buffer {
  const authenticatedSafe = sequence([sequence([DATA, explicit(0, octetString(sequence(bags)))])]);
  return sequence([
    tagged(0x02, Buffer.from([options.version ?? 3])),
    sequence([options.type ?? DATA, explicit(0, octetString(authenticatedSafe))]),
    ...(options.mac === false ? [] : [sequence([sequence([sequence([]), octetString(Buffer.alloc(32))]), octetString(Buffer.alloc(8))])]),
  ]);
}

const keyBag = sequence([KEY_BAG, explicit(0, sequence([]))]);

describe('readPkcs12Envelope', () => {
  test('sees what openssl writes by default: a MAC, one shrouded key, one encrypted container', () => {
    const file = writePfx(issueCertificate({ subject: 'CN=a' }), { password: 'pw' });
    expect(readPkcs12Envelope(readFileSync(file))).toEqual({ hasMac: true, clearKeyBags: 0, shroudedKeyBags: 1, encryptedContainers: 1 });
  });

  test('finds a key bag in clear, also inside a nested bag', () => {
    expect(readPkcs12Envelope(pfx([keyBag])).clearKeyBags).toBe(1);
    expect(readPkcs12Envelope(pfx([sequence([SAFE_CONTENTS_BAG, explicit(0, sequence([keyBag]))])])).clearKeyBags).toBe(1);
  });

  test('tells a file without MAC', () => {
    expect(readPkcs12Envelope(pfx([], { mac: false })).hasMac).toBe(false);
  });

  test.each([
    ['a truncated file', () => pfx([keyBag]).subarray(0, 40), /is not a PKCS#12 structure/],
    ['another version', () => pfx([], { version: 2 }), /has PKCS#12 version 02, not 3/],
    ['a signed PFX', () => pfx([], { type: SIGNED_DATA }), /uses public-key integrity mode/],
    ['a certificate', () => issueCertificate({ subject: 'CN=a' }).der, /is not a PKCS#12 structure/],
  ])('refuses %s', (_label, make, message) => {
    expect(() => readPkcs12Envelope(make())).toThrow(Pkcs12FormatError);
    expect(() => readPkcs12Envelope(make())).toThrow(message);
  });
});
