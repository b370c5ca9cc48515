import { Fn } from 'cdktf';

/*
 * A value known only when Terraform evaluates it (a variable, a data source) cannot be checked
 * at synth. Where such a value must reach a policy, it is wrapped in a Terraform `regex()` that
 * accepts only text that cannot change the policy's structure: a bad value fails the plan and
 * never reaches APIM. The plan reader recognises exactly these forms, so the review can judge
 * a guarded value instead of calling the whole policy undecided.
 */

/** A thumbprint as APIM compares it: 40 upper-case hexadecimal digits. */
export const GUARDED_THUMBPRINT_PATTERN = '^[0-9A-F]{40}$';

/**
 * An https URL whose characters cannot end an XML attribute, start an expression or a named
 * value, or be interpolated: host, optional port, optional path. No query, fragment, quotes,
 * `<`, `&`, braces or spaces. Its groups do not capture: with a capturing group Terraform's
 * `regex()` returns the list of captures instead of the match, which no string can hold, so
 * every plan would fail.
 */
export const GUARDED_URL_PATTERN = '^https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!()*+,;=:@%/-]*)?$';

/** `regex("^[0-9A-F]{40}$", upper(value))`: the upper-cased value, or a failed plan. */
export function guardedThumbprint(token: string): string {
  return Fn.regex(GUARDED_THUMBPRINT_PATTERN, Fn.upper(token));
}

/** `regex("<GUARDED_URL_PATTERN>", value)`: the value when it is a plain https URL, or a failed plan. */
export function guardedUrl(token: string): string {
  return Fn.regex(GUARDED_URL_PATTERN, token);
}
