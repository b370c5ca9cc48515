/**
 * Normalizes a certificate thumbprint as people paste it (lower case, `AB:CD` or `AB CD`
 * separators, invisible characters copied from the Windows certificate dialog such as U+200E)
 * to the form APIM compares against: 40 upper-case hex digits. `==` in a policy is
 * case-sensitive, so an unnormalized value would never match.
 *
 * Returns undefined when the value is not a SHA-1 thumbprint after normalizing.
 */
export function normalizeThumbprint(value: string): string | undefined {
  const cleaned = value
    .normalize('NFKC')
    // Separators and invisible format characters (Unicode category Cf: U+200E, U+FEFF, …).
    .replace(/[\s:\-\p{Cf}]/gu, '')
    .toUpperCase();
  return /^[0-9A-F]{40}$/.test(cleaned) ? cleaned : undefined;
}
