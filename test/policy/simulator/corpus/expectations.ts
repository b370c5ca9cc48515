import { RevocationStatus, SimulatedCertificate, SimulatedRequest } from '../../../../src/policy/simulator';
import { Pki } from '../fixtures';

/*
 * What each corpus policy does with each caller. The policies are hand-written in the shapes
 * teams write (see `shape`); placeholders such as __TRUSTED_THUMBPRINT__ stand for values of
 * the certificates the test generates.
 *
 * Callers: none; untrusted (issued by another CA); impostor (the trusted certificate's subject
 * and issuer, issued by the same CA, but never pinned or uploaded); expired (same names and CA,
 * past its NotAfter, pinned where the policy lists it); trusted.
 * Verdicts: `forwarded`, `rejected <status>`, `answered <status>`, or a refusal by name:
 * `unsupported <text>`, `unknown named value <name>`, `invalid`.
 */

export type Caller = 'none' | 'untrusted' | 'impostor' | 'expired' | 'trusted';

export interface CorpusCase {
  readonly file: string;
  /** The shape of policy real teams write that this one stands for. */
  readonly shape: string;
  /** How a caller's certificate reaches APIM: over TLS (default), or in a header set by a gateway in front. */
  readonly presentation?: { readonly header: string; readonly as: 'thumbprint' | 'base64' };
  readonly request?: (p: Pki) => SimulatedRequest;
  readonly expected: Readonly<Record<Caller, string>>;
}

const every = (verdict: string): Record<Caller, string> => ({ none: verdict, untrusted: verdict, impostor: verdict, expired: verdict, trusted: verdict });
const onlyTrusted = (rejected: string): Record<Caller, string> => ({ ...every(rejected), trusted: 'forwarded' });

export const CORPUS: readonly CorpusCase[] = [
  { file: '01-pinned-thumbprint.xml', shape: 'thumbprint pinned with != (rawxml, as in the seeds)', expected: onlyTrusted('rejected 401') },
  { file: '02-pinned-with-chain-check.xml', shape: 'VerifyNoRevocation() and a pinned thumbprint', expected: onlyTrusted('rejected 403') },
  {
    file: '03-verify-with-private-ca.xml',
    shape: 'Verify() with a private CA whose CRL APIM cannot reach: everyone is locked out',
    expected: every('rejected 403'),
  },
  {
    file: '04-uploaded-certificates.xml',
    shape: 'any certificate uploaded to the service (the corrected sample)',
    request: (p) => ({ uploadedCertificates: { 'partner-a': p.trusted.x509 } }),
    expected: onlyTrusted('rejected 401'),
  },
  {
    file: '05-uploaded-certificates-missing-not.xml',
    shape: 'the old sample without ! before Any: admits every unknown certificate',
    request: (p) => ({ uploadedCertificates: { 'partner-a': p.trusted.x509 } }),
    expected: { none: 'rejected 401', untrusted: 'forwarded', impostor: 'forwarded', expired: 'forwarded', trusted: 'rejected 401' },
  },
  {
    file: '06-validate-thumbprints-named-values.xml',
    shape: 'validate-client-certificate with thumbprints kept in named values',
    request: (p) => ({ namedValues: { 'partner-a-thumbprint': p.trusted.thumbprint, 'partner-b-thumbprint': p.expired.thumbprint } }),
    expected: onlyTrusted('rejected 401'),
  },
  {
    file: '07-validate-issuer-and-cn.xml',
    shape: 'validate-client-certificate on issuer (older attribute name) and common name, no chain check',
    expected: { none: 'rejected 401', untrusted: 'rejected 401', impostor: 'forwarded', expired: 'rejected 401', trusted: 'forwarded' },
  },
  {
    file: '08-appgw-thumbprint-header.xml',
    shape: 'Application Gateway forwards the fingerprint in a header; comments with apostrophes',
    presentation: { header: 'X-Client-Cert-Fingerprint', as: 'thumbprint' },
    expected: onlyTrusted('rejected 401'),
  },
  {
    file: '09-appgw-certificate-header-block.xml',
    shape: 'a gateway forwards the certificate base64-encoded; statement block parses and checks it',
    presentation: { header: 'X-ARR-ClientCert', as: 'base64' },
    expected: { none: 'rejected 403', untrusted: 'rejected 403', impostor: 'forwarded', expired: 'rejected 403', trusted: 'forwarded' },
  },
  {
    file: '10-thumbprint-list-named-value.xml',
    shape: 'a list of thumbprints in a named value, split and trimmed',
    request: (p) => ({ namedValues: { 'allowed-thumbprints': ` ${p.trusted.thumbprint.toLowerCase()} ; 0000000000000000000000000000000000000000 ,` } }),
    expected: onlyTrusted('rejected 403'),
  },
  { file: '11-set-variable-then-choose.xml', shape: 'set-variable from a statement block, then choose on GetValueOrDefault<bool>', expected: onlyTrusted('rejected 401') },
  {
    file: '12-issuer-contains.xml',
    shape: 'Issuer.Contains(...): names only, no validity or chain check',
    expected: { none: 'rejected 403', untrusted: 'rejected 403', impostor: 'forwarded', expired: 'forwarded', trusted: 'forwarded' },
  },
  {
    file: '13-subject-ignore-case-and-expiry.xml',
    shape: 'several when branches: missing, expired, subject compared ignoring case with a named value, chain',
    request: (p) => ({ namedValues: { 'partner-subject': SimulatedCertificate.of(p.trusted.x509).subject.toLowerCase() } }),
    expected: { none: 'rejected 401', untrusted: 'rejected 403', impostor: 'forwarded', expired: 'rejected 401', trusted: 'forwarded' },
  },
  { file: '14-hashset-thumbprints.xml', shape: 'a case-insensitive HashSet of thumbprints in a statement block', expected: onlyTrusted('rejected 403') },
  {
    file: '15-include-fragment.xml',
    shape: 'a shared fragment with validate-client-certificate on the issuing CA',
    expected: { none: 'rejected 401', untrusted: 'rejected 401', impostor: 'forwarded', expired: 'rejected 401', trusted: 'forwarded' },
  },
  { file: '16-mock-answer.xml', shape: 'return-response 200 for partners while the API is not live', expected: { ...every('rejected 401'), trusted: 'answered 200' } },
  { file: '17-ignore-error.xml', shape: 'validate-client-certificate with ignore-error="true": admits everyone', expected: every('forwarded') },
  { file: '18-expiry-margin.xml', shape: 'NotAfter against DateTime.UtcNow.AddDays, thumbprints in an array', expected: onlyTrusted('rejected 401') },
  {
    file: '19-backend-mutual-tls.xml',
    shape: 'inbound gate, then a backend and the client certificate presented to it',
    request: (p) => ({ uploadedCertificates: { 'gateway-client': p.selfSigned.x509 } }),
    expected: onlyTrusted('rejected 401'),
  },
  {
    file: '20-backend-certificate-not-uploaded.xml',
    shape: 'authentication-certificate naming a certificate no longer uploaded: trusted callers get 500',
    request: (p) => ({ uploadedCertificates: { 'gateway-client': p.selfSigned.x509 } }),
    expected: { ...every('rejected 401'), trusted: 'rejected 500' },
  },
  { file: '21-secret-named-value.xml', shape: 'a pinned thumbprint kept in a secret named value', expected: every('unknown named value partner-thumbprint-secret') },
  {
    file: '22-ip-and-certificate.xml',
    shape: 'the caller IP address (not simulated) after the certificate null check',
    expected: { ...every('unsupported context.Request.IpAddress'), none: 'rejected 403' },
  },
  { file: '23-misspelled-policy.xml', shape: 'a misspelled policy element, which APIM refuses', expected: every('invalid') },
  { file: '24-portal-export-xml.xml', shape: 'exported from the portal as XML: entity-escaped expression, forward-request', expected: onlyTrusted('rejected 403') },
  {
    file: '25-status-variable-ternary.xml',
    shape: 'nested ?: into a string variable, reason built with +, an on-error answer',
    expected: onlyTrusted('rejected 401'),
  },
];

/** What every corpus request starts from: the partner CA uploaded, its CRL unreachable. */
export function baseRequest(p: Pki): SimulatedRequest {
  return { caCertificates: [p.partnerCa.x509], revocation: RevocationStatus.UNREACHABLE };
}
