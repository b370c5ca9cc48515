/*
 * The patterns of the Terraform `regex()` guards that `src/policy/terraform-guard.ts` writes
 * around values only Terraform knows, and that the plan reader recognises. One definition for
 * writer and reader, free of cdktf so the review loads without it.
 */

/** A thumbprint as APIM compares it: 40 upper-case hexadecimal digits. */
export const GUARDED_THUMBPRINT_PATTERN = '^[0-9A-F]{40}$';

// No backslashes: cdktf writes the pattern into a Terraform string without escaping them, so "[.]" stands for a dot.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
// The last label starts with a letter, so URL parsers never read the host as a short or hex IPv4 form.
const DNS_NAME = `(?:${LABEL}[.])*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?[.]?`;
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `${OCTET}[.]${OCTET}[.]${OCTET}[.]${OCTET}`;
const PORT = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
// A percent-encoded byte other than "." (%2E), so no segment is a dot segment in disguise.
const ENCODED = '%(?:[013-9A-Fa-f][0-9A-Fa-f]|2[0-9A-Da-dFf])';
const NOT_DOT = `(?:[A-Za-z0-9_~!()*+,;=:@-]|${ENCODED})`;
const ANY = `(?:[.]|${NOT_DOT})`;
// Empty, or anything but "." and "..", which URL parsers resolve away.
const SEGMENT = `(?:${NOT_DOT}${ANY}*|[.]${NOT_DOT}${ANY}*|[.][.]${ANY}+)?`;

/**
 * An https URL whose characters cannot end an XML attribute, start an expression or a named
 * value, or be interpolated, and that every URL parser reads alike: a DNS name or dotted IPv4
 * address, an optional port from 1 to 65535, an optional path without "." or ".." segments. No
 * user information, query, fragment, quotes, `<`, `&`, braces, backslashes or spaces. Its
 * groups do not capture: with a capturing group Terraform's `regex()` returns the list of
 * captures instead of the match, which no string can hold, so every plan would fail.
 */
export const GUARDED_URL_PATTERN = `^https://(?:${DNS_NAME}|${IPV4})(?::${PORT})?(?:/${SEGMENT})*$`;
