import { ClientCertificateTrust, clientCertificateGate, PolicyDocument, renderPolicyElement } from '../../../src';
import { PolicySimulationError, SimulatedCertificate, SimulatedOutcome, simulatePolicy } from '../../../src/policy/simulator';
import { admitted, DAY, testPki } from './fixtures';

/** A policy whose sections are `<base />` plus the given inbound statements, or no `<base />` at all. */
function scopePolicy(inbound: string, { base = true } = {}): string {
  const b = base ? '<base />' : '';
  return `<policies><inbound>${b}${inbound}</inbound><backend>${b}</backend><outbound>${b}</outbound><on-error>${b}</on-error></policies>`;
}

const reject = (code: number) => `<return-response><set-status code="${code}" reason="scope ${code}" /></return-response>`;
const routeTo = (url: string) => `<set-backend-service base-url="${url}" />`;

describe('enclosing scopes (global, product, API around an operation)', () => {
  const chain = (global: string, product: string, api: string) => [
    { scope: 'global', policy: global },
    { scope: 'product:partners', policy: product },
    { scope: 'api:orders', policy: api },
  ];

  test('<base /> at every level runs the scopes outermost first', () => {
    const result = simulatePolicy(scopePolicy(routeTo('https://op.example')), {
      scope: 'operation:get',
      enclosingPolicies: chain(scopePolicy(routeTo('https://global.example')), scopePolicy(''), scopePolicy(routeTo('https://api.example'))),
    });
    expect(result).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendUrl: 'https://op.example' });
    expect(result.scopesRun).toEqual(['operation:get', 'api:orders', 'product:partners', 'global']);
  });

  test('a statement before <base /> runs before the outer scopes', () => {
    const operation = `<policies><inbound>${reject(418)}<base /></inbound></policies>`;
    const result = simulatePolicy(operation, { scope: 'operation:get', enclosingPolicies: chain(scopePolicy(reject(401)), scopePolicy(''), scopePolicy('')) });
    expect(result).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 418, rejectedBy: 'operation:get:/policies/inbound/return-response' });
    expect(result.scopesRun).toEqual(['operation:get']);
  });

  test.each([
    ['operation', 3],
    ['api', 2],
    ['product', 1],
  ])('a missing <base /> in the %s policy skips every scope outside it', (_, level) => {
    const policies = [scopePolicy(reject(401)), scopePolicy(''), scopePolicy(''), scopePolicy('')];
    policies[level] = scopePolicy('', { base: false });
    const [global, product, api, operation] = policies;
    const result = simulatePolicy(operation, { scope: 'operation:get', enclosingPolicies: chain(global, product, api) });
    expect(result.outcome).toBe(SimulatedOutcome.FORWARDED);
    expect(result.scopesRun).not.toContain('global');
  });

  test('a <base /> in <backend> only reaches the outer scopes\' backend: their <inbound> (where gates are) does not run', () => {
    const api = `<policies><inbound>${routeTo('https://api.example')}</inbound><backend><base /></backend></policies>`;
    const global = `<policies><inbound>${reject(401)}</inbound><backend><forward-request /></backend></policies>`;
    const result = simulatePolicy(api, { scope: 'api:orders', enclosingPolicies: [{ scope: 'global', policy: global }] });
    expect(result).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendUrl: 'https://api.example' });
    expect(result.scopesRun).toEqual(['api:orders', 'global']);
    expect(result.inboundScopesRun).toEqual(['api:orders']);
  });

  test('the gate in the global policy rejects for every scope that keeps <base />', () => {
    const p = testPki();
    const gate = new PolicyDocument({ inbound: [clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([p.trusted.thumbprint]) })] }).render();
    const request = { scope: 'operation:get', enclosingPolicies: chain(gate, scopePolicy(''), scopePolicy('')) };
    expect(simulatePolicy(scopePolicy(''), request)).toMatchObject({
      outcome: SimulatedOutcome.REJECTED,
      statusCode: 401,
      rejectedBy: 'global:/policies/inbound/validate-client-certificate',
    });
    expect(admitted(simulatePolicy(scopePolicy(''), { ...request, clientCertificate: p.trusted.x509 }))).toBe(true);
  });

  test('basePolicy and enclosingPolicies cannot both be given; scopes need a name', () => {
    expect(() => simulatePolicy(scopePolicy(''), { basePolicy: scopePolicy(''), enclosingPolicies: [] })).toThrow(PolicySimulationError);
    expect(() => simulatePolicy(scopePolicy(''), { enclosingPolicies: [{ scope: '', policy: scopePolicy('') }] })).toThrow(/non-empty scope name/);
  });

  test('a malformed enclosing policy is named by its scope', () => {
    expect(() => simulatePolicy(scopePolicy(''), { enclosingPolicies: [{ scope: 'global', policy: '<fragment />' }] })).toThrow(/the global policy must have the root element <policies>/);
  });
});

describe('certificates described by their facts', () => {
  const now = new Date('2027-06-01T00:00:00Z');
  const ca = SimulatedCertificate.fromFacts({
    thumbprint: 'C'.repeat(40),
    subject: 'CN=Contoso Root, O=Contoso',
    issuer: 'CN=Contoso Root, O=Contoso',
    notBefore: new Date('2020-01-01'),
    notAfter: new Date('2040-01-01'),
    isCertificateAuthority: true,
    issuedBy: 'self',
  });
  const partner = SimulatedCertificate.fromFacts({
    thumbprint: 'a'.repeat(40),
    subject: 'O=Partner, CN="partner, a"',
    issuer: ca.subject,
    notBefore: new Date('2027-01-01'),
    notAfter: new Date('2028-01-01'),
    issuedBy: ca,
  });
  const impostor = SimulatedCertificate.fromFacts({ ...partner, thumbprint: 'B'.repeat(40), issuedBy: undefined, notBefore: partner.notBefore, notAfter: partner.notAfter });

  test('their values read as .NET would print them', () => {
    expect(partner.thumbprint).toBe('A'.repeat(40));
    expect(partner.commonName).toBe('partner, a');
    expect(ca.isSelfSigned).toBe(true);
    expect(partner.isSelfSigned).toBe(false);
    expect(partner.isIssuedBy(ca)).toBe(true);
    expect(impostor.isIssuedBy(ca)).toBe(false);
  });

  const verifyChain = renderPolicyElement(
    clientCertificateGate({ trust: ClientCertificateTrust.uploadedCertificates(), verifyChain: true, checkRevocation: false, issuer: 'CN=Contoso Root, O=Contoso' }),
  );
  const document = new PolicyDocument({ inbound: [] }).render().replace('<base />', `<base />${verifyChain}`);

  test('chain checks follow issuedBy: the partner passes, the impostor with the same names does not', () => {
    const request = { now, caCertificates: [ca], uploadedCertificates: { partner, impostor } };
    expect(admitted(simulatePolicy(document, { ...request, clientCertificate: partner }))).toBe(true);
    expect(admitted(simulatePolicy(document, { ...request, clientCertificate: impostor }))).toBe(false);
  });

  test('an expired copy is rejected by the validity checks', () => {
    const later = new Date(partner.notAfter.getTime() + DAY);
    const pinned = new PolicyDocument({ inbound: [clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([partner.thumbprint]) })] }).render();
    expect(admitted(simulatePolicy(pinned, { now, clientCertificate: partner }))).toBe(true);
    expect(simulatePolicy(pinned, { now: later, clientCertificate: partner })).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
  });
});
