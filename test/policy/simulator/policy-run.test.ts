import { InvalidPolicyError, SimulatedOutcome, simulatePolicy } from '../../../src/policy/simulator';
import { admitted, idOf, testPki } from './fixtures';

function inbound(statements: string, onError = ''): string {
  return `<policies><inbound><base />${statements}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base />${onError}</on-error></policies>`;
}

const reject = (code: number) => `<return-response><set-status code="${code}" /></return-response>`;

describe('set-variable, then choose', () => {
  test('an expression value keeps its type; later conditions read it', () => {
    const p = testPki();
    const policy = inbound(`
      <set-variable name="certOk" value="@(context.Request.Certificate != null &amp;&amp; context.Request.Certificate.Thumbprint == &quot;${p.trusted.thumbprint}&quot;)" />
      <choose><when condition="@(!context.Variables.GetValueOrDefault&lt;bool&gt;(&quot;certOk&quot;))">${reject(403)}</when></choose>`);
    expect(admitted(simulatePolicy(policy, { clientCertificate: p.trusted.x509 }))).toBe(true);
    expect(simulatePolicy(policy, { clientCertificate: p.unknown.x509 }).statusCode).toBe(403);
    expect(simulatePolicy(policy, {}).statusCode).toBe(403);
  });

  test('a literal value is a string: reading it as bool throws, the policy fails with 500', () => {
    const policy = inbound(`<set-variable name="enforce" value="true" /><choose><when condition='@(context.Variables.GetValueOrDefault&lt;bool&gt;("enforce"))'>${reject(403)}</when></choose>`);
    expect(simulatePolicy(policy, {})).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 500, error: { reason: 'InvalidCastException' } });
  });

  test('a statement block value and a value set in an enclosing scope', () => {
    const base = inbound(`<set-variable name="issuer" value="@{ var c = context.Request.Certificate; return c == null ? &quot;&quot; : c.Issuer; }" />`);
    const policy = inbound(`<choose><when condition='@(!((string)context.Variables["issuer"]).Contains("Contoso Partner CA"))'>${reject(403)}</when></choose>`);
    const p = testPki();
    expect(admitted(simulatePolicy(policy, { basePolicy: base, clientCertificate: p.trusted.x509 }))).toBe(true);
    expect(simulatePolicy(policy, { basePolicy: base, clientCertificate: p.wrongIssuer.x509 }).statusCode).toBe(403);
  });

  test('a value set-variable cannot store, and a set-variable without name, are refused', () => {
    expect(() => simulatePolicy(inbound('<set-variable name="c" value="@(context.Request.Certificate)" />'), { clientCertificate: testPki().trusted.x509 })).toThrow(/stores only basic types/);
    expect(() => simulatePolicy(inbound('<set-variable value="x" />'))).toThrow(InvalidPolicyError);
  });
});

describe('request headers', () => {
  test('a thumbprint forwarded by a gateway in front of APIM is read from its header', () => {
    const p = testPki();
    const policy = inbound(`<choose><when condition='@(context.Request.Headers.GetValueOrDefault("X-Client-Cert-Thumbprint", "").ToUpperInvariant() != "${p.trusted.thumbprint}")'>${reject(401)}</when></choose>`);
    expect(admitted(simulatePolicy(policy, { headers: { 'x-client-cert-thumbprint': p.trusted.thumbprint.toLowerCase() } }))).toBe(true);
    expect(simulatePolicy(policy, { headers: { 'X-Client-Cert-Thumbprint': p.unknown.thumbprint } }).statusCode).toBe(401);
    expect(simulatePolicy(policy, {}).statusCode).toBe(401);
  });

  test.each([
    [{ 'bad name': 'x' }, /not an HTTP header name/],
    [{ a: [] as string[] }, /non-empty list/],
    [{ a: 'x\r\ny' }, /without line breaks/],
    [{ 'X-A': 'x', 'x-a': 'y' }, /twice/],
  ])('request.headers %j is refused', (headers, message) => {
    expect(() => simulatePolicy(inbound(''), { headers })).toThrow(message);
  });
});

describe('authentication-certificate', () => {
  test('a certificate that is not uploaded fails the request: APIM has nothing to present to the backend', () => {
    const p = testPki();
    const uploadedCertificates = { [idOf(p.selfSigned)]: p.selfSigned.x509 };
    const byId = simulatePolicy(inbound('<authentication-certificate certificate-id="gateway-client" />'), { uploadedCertificates });
    expect(byId).toMatchObject({
      outcome: SimulatedOutcome.REJECTED,
      statusCode: 500,
      rejectedBy: '/policies/inbound/authentication-certificate',
      error: { source: 'authentication-certificate', reason: 'CertificateNotFound' },
    });
    const byThumbprint = simulatePolicy(inbound(`<authentication-certificate thumbprint="${p.trusted.thumbprint}" />`, reject(502)), { uploadedCertificates });
    expect(byThumbprint).toMatchObject({ statusCode: 502, error: { reason: 'CertificateNotFound' } });
    expect(byThumbprint.error?.message).toMatch(new RegExp(`thumbprint ${p.trusted.thumbprint}`));
  });

  test('an uploaded one is presented', () => {
    const p = testPki();
    const result = simulatePolicy(inbound(`<authentication-certificate certificate-id="${idOf(p.selfSigned)}" />`), { uploadedCertificates: { [idOf(p.selfSigned)]: p.selfSigned.x509 } });
    expect(result).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendCertificate: { certificateId: idOf(p.selfSigned), thumbprint: p.selfSigned.thumbprint } });
  });
});

describe('validate-client-certificate identity claims', () => {
  test('issuer, the older name of issuer-subject, is a claim on the issuer name', () => {
    const p = testPki();
    const policy = inbound(`<validate-client-certificate validate-trust="false" validate-revocation="false"><identities><identity issuer='CN=Contoso Partner CA, O="Contoso, Inc.", C=US' /></identities></validate-client-certificate>`);
    expect(admitted(simulatePolicy(policy, { clientCertificate: p.trusted.x509 }))).toBe(true);
    expect(simulatePolicy(policy, { clientCertificate: p.wrongIssuer.x509 }).statusCode).toBe(401);
    expect(simulatePolicy(policy, { clientCertificate: p.trusted.x509 }).notSimulated).toEqual([]);
  });
});
