import { ChainEnvironment, checkChain } from './certificate-chain';
import { policyBoolean } from './policy-attributes';
import { attributeOf, PolicyXmlElement } from './policy-xml-reader';
import { RevocationStatus } from './revocation-status';
import { SimulatedCertificate } from './simulated-certificate';
import { InvalidPolicyError, UnsupportedExpressionError } from './simulation-errors';

/*
 * The `validate-client-certificate` policy as API Management runs it: top-level checks that all must pass,
 * then `<identities>`, of which at least one must match in every claim it makes.
 */

export interface ValidationEnvironment extends ChainEnvironment {
  /** `context.Deployment.Certificates`, for `issuer-certificate-id` and `issuer-thumbprint`. */
  readonly uploadedCertificates: ReadonlyArray<readonly [string, SimulatedCertificate]>;
}

export interface CertificateValidation {
  readonly passed: boolean;
  /** Why it failed: the first failed check. */
  readonly problem?: string;
  /** `ignore-error="true"`: a failure does not raise an error. */
  readonly ignoreError: boolean;
}

/** validate-client-certificate accepts at most this many identities. */
const MAX_IDENTITIES = 10;

/** The attributes of validate-client-certificate and their defaults. */
export const VALIDATE_ATTRIBUTES: Readonly<Record<string, boolean>> = {
  'validate-revocation': true,
  'validate-trust': true,
  'validate-not-before': true,
  'validate-not-after': true,
  'ignore-error': false,
};

/** The claims an `<identity>` can make. */
export const IDENTITY_CLAIMS = [
  'thumbprint',
  'serial-number',
  'common-name',
  'subject',
  'dns-name',
  'issuer-subject',
  /** The older name of issuer-subject, still in the documentation's examples. */
  'issuer',
  'issuer-thumbprint',
  'issuer-certificate-id',
] as const;

type Claim = (typeof IDENTITY_CLAIMS)[number];

export function validateClientCertificate(
  element: PolicyXmlElement,
  certificate: SimulatedCertificate | undefined,
  env: ValidationEnvironment,
): CertificateValidation {
  // Read everything first: a policy APIM would refuse is an error whatever the certificate.
  const flags = Object.fromEntries(Object.keys(VALIDATE_ATTRIBUTES).map((name) => [name, booleanAttribute(element, name)]));
  const ignoreError = flags['ignore-error'];
  const identities = identitiesOf(element);
  const fail = (problem: string): CertificateValidation => ({ passed: false, problem, ignoreError });

  if (!certificate) return fail('no client certificate was presented');
  if (flags['validate-not-before'] && env.now < certificate.notBefore) {
    return fail(`the certificate is not valid before ${certificate.notBefore.toISOString()}`);
  }
  if (flags['validate-not-after'] && env.now > certificate.notAfter) {
    return fail(`the certificate expired at ${certificate.notAfter.toISOString()}`);
  }
  const checkRevocation = flags['validate-revocation'];
  if (flags['validate-trust']) {
    const chain = checkChain(certificate, env, checkRevocation);
    if (!chain.valid) return fail(`untrusted certificate: ${chain.problem}`);
  } else if (checkRevocation && env.revocation !== RevocationStatus.GOOD) {
    // Without a chain there is no issuer to ask, except for a lone root, which is never checked.
    return fail(`revocation check: ${env.revocation}`);
  }
  if (identities.length > 0) {
    const mismatches = identities.map((identity) => firstMismatch(identity, certificate, env));
    if (mismatches.every((mismatch) => mismatch !== undefined)) {
      return fail(`the certificate matches none of the identities (${mismatches.join('; ')})`);
    }
  }
  return { passed: true, ignoreError };
}

function booleanAttribute(element: PolicyXmlElement, name: string): boolean {
  const value = attributeOf(element, name);
  if (value === undefined) return VALIDATE_ATTRIBUTES[name];
  if (value.startsWith('@')) {
    throw new UnsupportedExpressionError(value, value, `${name} of validate-client-certificate takes true or false, not an expression`);
  }
  return policyBoolean(value, element, name);
}

function identitiesOf(element: PolicyXmlElement): PolicyXmlElement[] {
  const lists = element.children.filter((child) => child.name === 'identities');
  if (lists.length > 1) throw new InvalidPolicyError(`${element.path} has more than one <identities>`);
  const identities = lists.length === 0 ? [] : lists[0].children.filter((child) => child.name === 'identity');
  if (identities.length > MAX_IDENTITIES) {
    throw new InvalidPolicyError(`${element.path} has ${identities.length} identities; APIM accepts at most ${MAX_IDENTITIES}`);
  }
  for (const identity of identities) {
    const claims = IDENTITY_CLAIMS.filter((claim) => attributeOf(identity, claim) !== undefined);
    if (claims.length === 0) throw new InvalidPolicyError(`${identity.path} makes no claim`);
    if (claims.includes('issuer-certificate-id') && claims.some((claim) => claim === 'issuer-subject' || claim === 'issuer' || claim === 'issuer-thumbprint')) {
      throw new InvalidPolicyError(`${identity.path}: issuer-certificate-id excludes issuer-subject, issuer and issuer-thumbprint`);
    }
    for (const claim of claims) {
      if (attributeOf(identity, claim)!.startsWith('@')) {
        throw new UnsupportedExpressionError(attributeOf(identity, claim)!, attributeOf(identity, claim)!, `${claim} of an identity takes a value, not an expression`);
      }
    }
  }
  return identities;
}

/** The first claim of `identity` that `certificate` does not meet, or undefined when it meets all. */
function firstMismatch(identity: PolicyXmlElement, certificate: SimulatedCertificate, env: ValidationEnvironment): string | undefined {
  for (const claim of IDENTITY_CLAIMS) {
    const expected = attributeOf(identity, claim);
    if (expected !== undefined && !meetsClaim(claim, expected, certificate, env)) return `${claim} is not ${JSON.stringify(expected)}`;
  }
  return undefined;
}

// Hex values (thumbprints, serial numbers) compare case-insensitively; names compare exactly.
const sameHex = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

function meetsClaim(claim: Claim, expected: string, certificate: SimulatedCertificate, env: ValidationEnvironment): boolean {
  const compared = (value: string, ignoreCase: boolean) => env.observer?.compared(value, expected, ignoreCase);
  switch (claim) {
    case 'thumbprint':
      compared(certificate.thumbprint, true);
      return sameHex(certificate.thumbprint, expected);
    case 'serial-number':
      compared(certificate.serialNumber, true);
      return sameHex(certificate.serialNumber, expected);
    case 'common-name':
      if (certificate.commonName !== undefined) compared(certificate.commonName, false);
      return certificate.commonName === expected;
    case 'subject':
      compared(certificate.subject, false);
      return certificate.subject === expected;
    case 'dns-name': {
      // As X509Certificate2.GetNameInfo(DnsName): the DNS names, else the common name.
      const names = certificate.dnsNames.length > 0 ? certificate.dnsNames : certificate.commonName ? [certificate.commonName] : [];
      for (const name of names) compared(name, true);
      return names.some((name) => name.toLowerCase() === expected.toLowerCase());
    }
    case 'issuer-subject':
    case 'issuer':
      compared(certificate.issuer, false);
      return certificate.issuer === expected;
    case 'issuer-thumbprint': {
      const known = [...env.caCertificates, ...(env.intermediateCertificates ?? []), ...env.uploadedCertificates.map(([, uploaded]) => uploaded)];
      return known.some((issuer) => sameHex(issuer.thumbprint, expected) && certificate.isIssuedBy(issuer));
    }
    case 'issuer-certificate-id': {
      const issuer = env.uploadedCertificates.find(([id]) => id === expected)?.[1];
      return issuer !== undefined && certificate.isIssuedBy(issuer);
    }
  }
}
