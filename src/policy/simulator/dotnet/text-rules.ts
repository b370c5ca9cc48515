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

/** Printable ASCII: no culture gives these characters contractions or ignorable weights, except as below. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Windows' word sort gives the hyphen and the apostrophe almost no weight. */
const WORD_SORT_MARKS = /['-]/g;

/**
 * A culture-sensitive comparison (`StartsWith(string)` without a StringComparison), answered
 * only where every runtime agrees: printable ASCII, and the same answer whether or not the
 * hyphen and apostrophe count.
 */
export function cultureSensitive(a: string, b: string, test: (a: string, b: string) => boolean, site: MemberSite): boolean {
  if (!PRINTABLE_ASCII.test(a) || !PRINTABLE_ASCII.test(b)) {
    throw site.unsupportedValue('a culture-sensitive comparison of text with non-ASCII or control characters is not simulated; pass StringComparison.Ordinal');
  }
  const answer = test(a, b);
  if (test(a.replace(WORD_SORT_MARKS, ''), b.replace(WORD_SORT_MARKS, '')) !== answer) {
    throw site.unsupportedValue('this culture-sensitive comparison depends on how the culture weighs "-" and "\'"; pass StringComparison.Ordinal');
  }
  return answer;
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
