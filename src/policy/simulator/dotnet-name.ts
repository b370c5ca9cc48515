import { DER_TAG, DerElement, derChildren, expectTag, readObjectIdentifier } from './der-reader';

/*
 * An X.500 name (issuer, subject) printed the way .NET prints X509Certificate2.Subject/Issuer
 * and X500DistinguishedName.Name, which is what policies compare against: most specific RDN
 * first, RDNs joined by ", ", the values of a multi-valued RDN joined by " + ", values quoted
 * when they contain special characters (dotnet/runtime X500NameEncoder).
 */

/** One attribute of a name, in DER order. */
export interface NameAttribute {
  readonly oid: string;
  /** The decoded string, or `#` + hex for values that are not character strings. */
  readonly value: string;
  /** True when .NET falls back to `#hex` (never quoted). */
  readonly binary: boolean;
}

/** The RDNs of a name in DER order (least specific first), each a list of attributes. */
export function readNameAttributes(name: DerElement): NameAttribute[][] {
  return derChildren(expectTag(name, DER_TAG.SEQUENCE, 'name')).map((rdn) =>
    derChildren(expectTag(rdn, DER_TAG.SET, 'relative distinguished name')).map((pair) => {
      const [type, value] = derChildren(expectTag(pair, DER_TAG.SEQUENCE, 'attribute type and value'));
      return { oid: readObjectIdentifier(type), ...decodeAttributeValue(value) };
    }),
  );
}

/** The name as .NET prints it, e.g. `CN=Test Root, O="Contoso, Inc.", C=US`. */
export function formatDotNetName(rdns: readonly NameAttribute[][]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map((attribute) => `${attributeName(attribute.oid)}=${formatValue(attribute)}`).join(' + '))
    .join(', ');
}

/** Friendly names .NET prints for the usual attribute types; others are `OID.<dotted>`. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'S',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.13': 'Description',
  '2.5.4.17': 'PostalCode',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

export const COMMON_NAME_OID = '2.5.4.3';

function attributeName(oid: string): string {
  return ATTRIBUTE_NAMES[oid] ?? `OID.${oid}`;
}

// Characters that make .NET put a value in quotes (\r deliberately not, as on Windows).
const QUOTE_NEEDING = /[,+="\n<>#;]/;
const QUOTABLE_WHITESPACE = /^[ \t\n\v\f\r]|[ \t\n\v\f\r]$/;

function formatValue(attribute: NameAttribute): string {
  const { value } = attribute;
  const needsQuotes = value === '' || QUOTABLE_WHITESPACE.test(value) || QUOTE_NEEDING.test(value);
  if (attribute.binary || !needsQuotes) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

const UTF8_STRING = 0x0c;
const NUMERIC_STRING = 0x12;
const PRINTABLE_STRING = 0x13;
const T61_STRING = 0x14;
const IA5_STRING = 0x16;
const BMP_STRING = 0x1e;

function decodeAttributeValue(value: DerElement): { value: string; binary: boolean } {
  let text: string;
  switch (value.tag) {
    case UTF8_STRING:
      text = value.content.toString('utf8');
      break;
    case NUMERIC_STRING:
    case PRINTABLE_STRING:
    case IA5_STRING:
    case T61_STRING:
      text = value.content.toString('latin1');
      break;
    case BMP_STRING:
      if (value.content.length % 2 !== 0) return { value: '#' + value.encoded.toString('hex').toUpperCase(), binary: true };
      text = Buffer.from(value.content).swap16().toString('utf16le');
      break;
    case DER_TAG.OCTET_STRING:
      // .NET unwraps one OCTET STRING and prints its content as hex.
      return { value: '#' + value.content.toString('hex').toUpperCase(), binary: true };
    default:
      return { value: '#' + value.encoded.toString('hex').toUpperCase(), binary: true };
  }
  // .NET drops NUL characters at the end of a value.
  return { value: text.replace(/\0+$/, ''), binary: false };
}
