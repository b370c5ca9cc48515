/*
 * Tokens that stand for the `thumbprint` attribute of a certificate resource this library
 * created. Azure computes that value (40 upper-case hex digits), so it may reach a policy
 * unguarded; the review reads it as a reference to the certificate. Every other Terraform
 * value passes through a `regex()` guard. The exact token string is recorded: a token built
 * around it (`${thumbprint}x`) is a different string and is guarded like any other value.
 */
const resourceThumbprints = new Set<string>();

/** Records `token` as the thumbprint attribute of a certificate resource made by this library. */
export function markResourceThumbprint(token: string): string {
  resourceThumbprints.add(token);
  return token;
}

/** Whether `token` is exactly the thumbprint attribute of a certificate resource made by this library. */
export function isResourceThumbprint(token: string): boolean {
  return resourceThumbprints.has(token);
}
