import { MemberSite } from '../csharp/members';

/*
 * How .NET compares, trims and changes the case of text, where that differs from JavaScript.
 * Only what is certain is simulated: ordinal comparison exactly; case-insensitive and
 * culture-sensitive comparison and case mapping for text whose .NET result does not depend on
 * the runtime's culture data (ASCII). Anything else is an UnsupportedExpressionError naming the
 * call, never a guess.
 */

/** `char.IsWhiteSpace`: .NET's set, which differs from JavaScript's `\s` (U+0085 yes, U+FEFF no). */
export function isDotNetWhiteSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** `String.Trim()`, `TrimStart()`, `TrimEnd()` with .NET's white space. */
export function trimDotNet(text: string, start: boolean, end: boolean): string {
  let from = 0;
  let to = text.length;
  while (start && from < to && isDotNetWhiteSpace(text.charCodeAt(from))) from++;
  while (end && to > from && isDotNetWhiteSpace(text.charCodeAt(to - 1))) to--;
  return text.slice(from, to);
}

const NON_ASCII = /[^\x00-\x7f]/;

/** `ToUpperInvariant()` / `ToUpper()`, simulated for ASCII text only. */
export function upperCase(text: string, site: MemberSite): string {
  if (NON_ASCII.test(text)) throw site.unsupportedValue('case mapping of non-ASCII text depends on culture data and is not simulated');
  return text.toUpperCase();
}

export function lowerCase(text: string, site: MemberSite): string {
  if (NON_ASCII.test(text)) throw site.unsupportedValue('case mapping of non-ASCII text depends on culture data and is not simulated');
  return text.toLowerCase();
}

/** `StringComparison.OrdinalIgnoreCase` equality: certain when the texts are equal or both ASCII. */
export function equalsIgnoringCase(a: string, b: string, site: MemberSite): boolean {
  if (a === b) return true;
  if (NON_ASCII.test(a) || NON_ASCII.test(b)) {
    throw site.unsupportedValue('case-insensitive comparison of non-ASCII text is not simulated');
  }
  return a.toUpperCase() === b.toUpperCase();
}

/**
 * Text for which a culture-sensitive comparison (`StartsWith(string)` without a
 * StringComparison) gives the ordinal answer in the invariant and English cultures: printable
 * ASCII without the hyphen and apostrophe, which Windows' word sort treats specially.
 */
const CULTURE_NEUTRAL = /^[\x20-\x26\x28-\x2c\x2e-\x7e]*$/;

export function expectCultureNeutral(site: MemberSite, ...texts: string[]): void {
  if (!texts.every((text) => CULTURE_NEUTRAL.test(text))) {
    throw site.unsupportedValue('a culture-sensitive comparison of text with non-ASCII characters, control characters, "-" or "\'" is not simulated; pass StringComparison.Ordinal');
  }
}

/** How a StringComparison or StringComparer compares, when the subset simulates it. */
export type TextComparison = 'Ordinal' | 'OrdinalIgnoreCase';

export function textComparison(name: string): TextComparison | undefined {
  return name === 'Ordinal' || name === 'OrdinalIgnoreCase' ? name : undefined;
}

export function textEquals(a: string, b: string, comparison: TextComparison, site: MemberSite): boolean {
  return comparison === 'Ordinal' ? a === b : equalsIgnoringCase(a, b, site);
}

/**
 * The key of `keys` that `key` names in a dictionary whose comparer is not documented (context
 * variables, certificate ids): an exact match, or none; a match that differs only in case is
 * an UnsupportedExpressionError.
 */
export function findKey(keys: Iterable<string>, key: string, site: MemberSite): string | undefined {
  let caseOnly = false;
  for (const candidate of keys) {
    if (candidate === key) return candidate;
    if (candidate.toLowerCase() === key.toLowerCase()) caseOnly = true;
  }
  if (caseOnly) throw site.unsupportedValue(`"${key}" matches a key only when case is ignored; whether APIM ignores case here is not documented`);
  return undefined;
}

/** A header name as APIM compares it: ASCII letters without regard to case. */
export function headerKey(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}
