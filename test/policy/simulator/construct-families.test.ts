import { PolicySimulation, RevocationStatus, SimulatedOutcome, SimulatedRequest, simulatePolicy } from '../../../src/policy/simulator';
import { TestCertificate } from '../../support/x509';
import { idOf, Pki, testPki } from './fixtures';

/*
 * Each construct of the C# subset and of the policy reference, used the way documentation and
 * samples use it, in policies of our own. Every policy is simulated for a caller without a
 * certificate, an untrusted one and a trusted one; the verdict must be decided (nothing reached
 * that is not simulated) and be the expected one.
 */

interface Family {
  /** The policy document; may use the PKI's values. */
  readonly policy: (p: Pki) => string;
  /** How a caller presenting `certificate` (or none) reaches APIM. */
  readonly request?: (p: Pki, certificate: TestCertificate | undefined) => SimulatedRequest;
  /** The untrusted caller: by default a certificate with the trusted one's names that is not pinned. */
  readonly untrusted?: (p: Pki) => TestCertificate;
  readonly expected: { readonly none: string; readonly untrusted: string; readonly trusted: string };
}

function inbound(statements: string): string {
  return `<policies>
  <inbound>
    <base />
    ${statements}
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`;
}

const deny = (code = 403) => `<return-response><set-status code="${code}" reason="Forbidden" /></return-response>`;
const presented = (_p: Pki, certificate: TestCertificate | undefined): SimulatedRequest => ({ clientCertificate: certificate?.x509 });
/** A request header that is sent only when there is a value. */
const header = (name: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [name]: value });
const PARTNER_CA = 'CN=Contoso Partner CA, O="Contoso, Inc.", C=US';

const FAMILIES: Record<string, Family> = {
  'thumbprint pinned with != and a null check': {
    policy: (p) => inbound(`<choose>
      <when condition="@(context.Request.Certificate == null || context.Request.Certificate.Thumbprint != "${p.trusted.thumbprint}")">${deny(401)}</when>
    </choose>`),
    expected: { none: 'rejected 401', untrusted: 'rejected 401', trusted: 'forwarded' },
  },
  '?. and ?? instead of a null check': {
    policy: (p) => inbound(`<choose>
      <when condition='@((context.Request.Certificate?.Thumbprint ?? "").ToUpperInvariant() != "${p.trusted.thumbprint}")'>${deny()}</when>
    </choose>`),
    expected: { none: 'rejected 403', untrusted: 'rejected 403', trusted: 'forwarded' },
  },
  'statement block with var, if/else and return': {
    policy: (p) => inbound(`<choose>
      <when condition="@{
        var cert = context.Request.Certificate;
        if (cert == null) { return true; }
        else if (cert.NotAfter < DateTime.Now || cert.NotBefore > DateTime.Now) { return true; }
        return !cert.Thumbprint.Equals("${p.trusted.thumbprint.toLowerCase()}", StringComparison.OrdinalIgnoreCase);
      }">${deny()}</when>
    </choose>`),
    expected: { none: 'rejected 403', untrusted: 'rejected 403', trusted: 'forwarded' },
  },
  'set-variable, then choose on GetValueOrDefault<bool>': {
    policy: (p) => inbound(`<set-variable name="clientCertOk" value="@(context.Request.Certificate != null &amp;&amp; context.Request.Certificate.Thumbprint == &quot;${p.trusted.thumbprint}&quot;)" />
    <choose>
      <when condition="@(!context.Variables.GetValueOrDefault&lt;bool&gt;(&quot;clientCertOk&quot;, false))">${deny()}</when>
    </choose>`),
    expected: { none: 'rejected 403', untrusted: 'rejected 403', trusted: 'forwarded' },
  },
  'thumbprint forwarded by a gateway in a header': {
    policy: (p) => inbound(`<choose>
      <when condition="@(!context.Request.Headers.ContainsKey("X-Client-Cert-Thumbprint") || context.Request.Headers["X-Client-Cert-Thumbprint"][0].Trim().ToUpper() != "${p.trusted.thumbprint}")">${deny(401)}</when>
    </choose>`),
    request: (_p, certificate) => ({ headers: header('x-client-cert-thumbprint', certificate && ` ${certificate.thumbprint.toLowerCase()} `) }),
    expected: { none: 'rejected 401', untrusted: 'rejected 401', trusted: 'forwarded' },
  },
  'certificate forwarded base64-encoded in a header': {
    policy: (p) => inbound(`<choose>
      <when condition="@{
        string header = context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "");
        if (string.IsNullOrEmpty(header)) { return true; }
        var cert = new X509Certificate2(Convert.FromBase64String(header));
        return cert.Thumbprint != "${p.trusted.thumbprint}" || !cert.VerifyNoRevocation();
      }">${deny(401)}</when>
    </choose>`),
    request: (p, certificate) => ({ headers: header('X-ARR-ClientCert', certificate?.x509.raw.toString('base64')), caCertificates: [p.partnerCa.x509] }),
    expected: { none: 'rejected 401', untrusted: 'rejected 401', trusted: 'forwarded' },
  },
  'thumbprint list in an array and in a case-insensitive set': {
    policy: (p) => inbound(`<choose>
      <when condition="@(context.Request.Certificate == null || !new[] { "0000000000000000000000000000000000000000", "${p.trusted.thumbprint}" }.Contains(context.Request.Certificate.Thumbprint))">${deny()}</when>
      <when condition="@(!new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "${p.trusted.thumbprint.toLowerCase()}" }.Contains(context.Request.Certificate.Thumbprint))">${deny(418)}</when>
    </choose>`),
    expected: { none: 'rejected 403', untrusted: 'rejected 403', trusted: 'forwarded' },
  },
  'thumbprint list in a named value, split on commas': {
    policy: () => inbound(`<choose>
      <when condition="@(context.Request.Certificate == null || !"{{allowed-thumbprints}}".Split(',').Select(t => t.Trim()).Any(t => t == context.Request.Certificate.Thumbprint))">${deny()}</when>
    </choose>`),
    request: (p, certificate) => ({ clientCertificate: certificate?.x509, namedValues: { 'allowed-thumbprints': `AAAA, ${p.trusted.thumbprint} ,BBBB` } }),
    expected: { none: 'rejected 403', untrusted: 'rejected 403', trusted: 'forwarded' },
  },
  'issuer and subject checks with string methods': {
    policy: () => inbound(`<choose>
      <when condition="@(context.Request.Certificate == null || !context.Request.Certificate.Issuer.Contains("CN=Contoso Partner CA") || !context.Request.Certificate.SubjectName.Name.StartsWith("CN=partner-", StringComparison.Ordinal) || !context.Request.Certificate.Verify())">${deny()}</when>
    </choose>`),
    request: (p, certificate) => ({ clientCertificate: certificate?.x509, caCertificates: [p.partnerCa.x509], revocation: RevocationStatus.GOOD }),
    untrusted: (p) => p.wrongIssuer,
    expected: { none: 'rejected 403', untrusted: 'rejected 403', trusted: 'forwarded' },
  },
  'validate-client-certificate with the issuer attribute and a named value': {
    policy: () => inbound(`<validate-client-certificate validate-revocation="false" validate-trust="{{verify-chain}}" validate-not-before="true" validate-not-after="true" ignore-error="false">
      <identities>
        <identity issuer='${PARTNER_CA}' common-name="partner-a" />
      </identities>
    </validate-client-certificate>`),
    request: (p, certificate) => ({ clientCertificate: certificate?.x509, caCertificates: [p.partnerCa.x509], namedValues: { 'verify-chain': 'true' } }),
    untrusted: (p) => p.wrongIssuer,
    expected: { none: 'rejected 401', untrusted: 'rejected 401', trusted: 'forwarded' },
  },
  'comments in a rawxml expression, apostrophes in them included': {
    policy: (p) => inbound(`<choose>
      <when condition="@(
        // Partners can't call us without the certificate we've issued them.
        context.Request.Certificate == null /* no certificate */
        || context.Request.Certificate.Thumbprint != "${p.trusted.thumbprint}" // someone else's
      )">${deny(401)}</when>
    </choose>`),
    expected: { none: 'rejected 401', untrusted: 'rejected 401', trusted: 'forwarded' },
  },
  'uploaded certificates searched with LINQ, ternary status': {
    policy: () => inbound(`<choose>
      <when condition="@(context.Request.Certificate is null ? true : !context.Deployment.Certificates.Values.Any(c => c.Thumbprint == context.Request.Certificate.Thumbprint))">${deny(401)}</when>
    </choose>`),
    request: (p, certificate) => ({ clientCertificate: certificate?.x509, uploadedCertificates: { [idOf(p.trusted)]: p.trusted.x509 } }),
    expected: { none: 'rejected 401', untrusted: 'rejected 401', trusted: 'forwarded' },
  },
  'a gateway answer that is not a rejection (ANSWERED)': {
    policy: (p) => inbound(`<choose>
      <when condition="@(context.Request.Certificate == null)">${deny(401)}</when>
      <when condition="@(context.Request.Certificate.Thumbprint == "${p.trusted.thumbprint}")"><return-response><set-status code="200" reason="OK" /></return-response></when>
    </choose>`),
    expected: { none: 'rejected 401', untrusted: 'forwarded', trusted: 'answered 200' },
  },
};

function verdict(result: PolicySimulation): string {
  if (result.outcome === SimulatedOutcome.FORWARDED) return 'forwarded';
  return `${result.outcome} ${result.statusCode}`;
}

const cases = Object.entries(FAMILIES).flatMap(([name, family]) =>
  (['none', 'untrusted', 'trusted'] as const).map((caller) => [name, caller, family] as const),
);

test.each(cases)('%s: a caller with %s certificate', (_name, caller, family) => {
  const p = testPki();
  const certificate = caller === 'none' ? undefined : caller === 'trusted' ? p.trusted : (family.untrusted ?? ((pki: Pki) => pki.unknown))(p);
  const result = simulatePolicy(family.policy(p), (family.request ?? presented)(p, certificate));
  expect(verdict(result)).toBe(family.expected[caller]);
  expect(result.outcomeUncertain).toBe(false);
});

test('a check on names alone admits an impostor whose names copy the trusted certificate', () => {
  const p = testPki();
  const family = FAMILIES['issuer and subject checks with string methods'];
  // p.unknown has the trusted certificate's subject and issuer and chains to the same CA: names cannot tell them apart.
  expect(verdict(simulatePolicy(family.policy(p), family.request!(p, p.unknown)))).toBe('forwarded');
});
