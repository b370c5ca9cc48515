/*
 * The .NET types of the subset, named as C# prints them (`string`, `bool?`, `string[]`,
 * `IEnumerable<string>`). `?` is a type the simulator does not know: the value of an expression
 * outside the subset, which is an error only if evaluation reaches it.
 */

export type CsType = string;

/** A type the simulator does not know (the value of an expression outside the subset). */
export const UNKNOWN: CsType = '?';
/** The type of the `null` literal, which converts to any reference or nullable type. */
export const NULL_LITERAL: CsType = 'null';

/** The type of `TypeName` used as a value, e.g. `string` in `string.IsNullOrEmpty(…)`. */
export function staticType(name: string): CsType {
  return `static ${name}`;
}

export function isStatic(type: CsType): boolean {
  return type.startsWith('static ');
}

const VALUE_TYPES = new Set(['bool', 'int', 'char', 'DateTime', 'StringComparison', 'StringSplitOptions']);

export function isNullable(type: CsType): boolean {
  return type.endsWith('?') && type !== UNKNOWN;
}

/** `bool` for `bool?`, the type itself otherwise. */
export function underlying(type: CsType): CsType {
  return isNullable(type) ? type.slice(0, -1) : type;
}

export function isValueType(type: CsType): boolean {
  return VALUE_TYPES.has(underlying(type)) || type.startsWith('KeyValuePair<');
}

/** What `x?.Member` gives when `Member` is of `type`: value types become nullable. */
export function nullableOf(type: CsType): CsType {
  return isValueType(type) && !isNullable(type) ? `${type}?` : type;
}

/** Whether `null` converts to `type`. */
export function acceptsNull(type: CsType): boolean {
  return type === UNKNOWN || type === NULL_LITERAL || !isValueType(type) || isNullable(type);
}

export function enumerableOf(element: CsType): CsType {
  return `IEnumerable<${element}>`;
}

const COLLECTION_ELEMENTS: Readonly<Record<string, CsType>> = {
  'string[]': 'string',
  'char[]': 'char',
  'List<string>': 'string',
  'HashSet<string>': 'string',
  'IReadOnlyDictionary<string, X509Certificate2>': 'KeyValuePair<string, X509Certificate2>',
};

/** The element type when `type` is a sequence (`IEnumerable<T>`), else undefined. */
export function elementTypeOf(type: CsType): CsType | undefined {
  if (type.startsWith('IEnumerable<') && type.endsWith('>')) return type.slice('IEnumerable<'.length, -1);
  return COLLECTION_ELEMENTS[type];
}

/** Implicit conversions the subset knows (identity, null, boxing, arrays to sequences, lifting). */
export function isAssignable(from: CsType, to: CsType): boolean {
  if (from === to || from === UNKNOWN || to === UNKNOWN) return true;
  if (from === NULL_LITERAL) return acceptsNull(to);
  if (to === 'object') return !isStatic(from);
  if (isNullable(to) && underlying(to) === from) return true;
  const element = elementTypeOf(from);
  return element !== undefined && to === enumerableOf(element);
}

/**
 * The type of `a ?? b`, `c ? a : b` and of values returned together: the one both convert to,
 * or undefined when C# would find none.
 */
export function commonType(a: CsType, b: CsType): CsType | undefined {
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  if (isAssignable(a, b)) return b === NULL_LITERAL ? a : b;
  if (isAssignable(b, a)) return a;
  return undefined;
}

/** Types whose operators and explicit conversions C# defines completely within the subset: anything else between them does not compile. */
export const SIMPLE_TYPES: ReadonlySet<CsType> = new Set(['bool', 'int', 'char', 'string', 'DateTime']);
