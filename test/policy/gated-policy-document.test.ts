import { ClientCertificateTrust, clientCertificateGate, CustomPolicy, element, GateStyle, renderPolicyElement, STATEMENTS_ALLOWED_BEFORE_GATE } from '../../src';
import { GateScope, gatedPolicyDocument } from '../../src/policy/gated-policy-document';
import { EnclosingPolicy, PolicySimulation, SimulatedCertificate, SimulatedOutcome, simulatePolicy } from '../../src/policy/simulator';
import { assertWellFormedXml, expectXmlSnapshot } from '../support/xml';

// Certificates described by their facts, so the golden files hold a fixed thumbprint.
const facts = {
  subject: 'CN=partner-a, O=Partner',
  issuer: 'CN=Partner CA, O=Partner',
  notBefore: new Date('2020-01-01T00:00:00Z'),
  notAfter: new Date('2040-01-01T00:00:00Z'),
};
const trusted = SimulatedCertificate.fromFacts({ ...facts, thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4' });
const unknown = SimulatedCertificate.fromFacts({ ...facts, thumbprint: '0123456789ABCDEF0123456789ABCDEF01234567' });
const trust = () => ClientCertificateTrust.thumbprints([trusted.thumbprint]);

/** A scope below the gated one that only inherits, as an API or operation policy that keeps <base />. */
const INHERITING = '<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

const RATE_LIMITED = CustomPolicy.fromXml(`<policies>
  <inbound>
    <set-variable name="request-id" value="@(context.Request.Headers.GetValueOrDefault(&quot;X-Request-Id&quot;, &quot;none&quot;))" />
    <base />
    <rate-limit-by-key calls="100" renewal-period="60" counter-key="@(context.Request.IpAddress)" />
    <set-header name="X-Client-Thumbprint" exists-action="override">
      <value>@(context.Request.Certificate.Thumbprint)</value>
    </set-header>
  </inbound>
  <outbound>
    <base />
    <set-header name="X-Powered-By" exists-action="delete" />
  </outbound>
  <on-error>
    <base />
    <set-header name="X-Error" exists-action="override"><value>@(context.LastError.Reason)</value></set-header>
  </on-error>
</policies>`);

interface Case {
  readonly name: string;
  readonly scope: GateScope;
  readonly xml: string;
  /** How a request for an operation under the gated scope is simulated. */
  readonly simulate: (xml: string, certificate?: SimulatedCertificate) => PolicySimulation;
}

const own = (xml: string, certificate?: SimulatedCertificate) => simulatePolicy(xml, { clientCertificate: certificate, scope: 'api' });
const enclosing = (scope: string) => (xml: string, certificate?: SimulatedCertificate) =>
  simulatePolicy(INHERITING, { clientCertificate: certificate, scope: 'operation', enclosingPolicies: [{ scope, policy: xml } as EnclosingPolicy] });

const document = (scope: GateScope, customPolicy?: CustomPolicy, routing = false) =>
  renderPolicyElement(
    gatedPolicyDocument({
      gate: clientCertificateGate({ trust: trust(), gateStyle: scope === GateScope.PRODUCT ? GateStyle.EXPRESSION : undefined }),
      scope,
      customPolicy,
      routing: routing ? [element('set-backend-service', [['base-url', 'https://orders.internal.example']])] : undefined,
    }),
  );

const CASES: Case[] = [
  { name: 'scope-api-custom-policy', scope: GateScope.API, xml: document(GateScope.API, RATE_LIMITED), simulate: own },
  { name: 'scope-api-routed-custom-policy', scope: GateScope.API, xml: document(GateScope.API, RATE_LIMITED, true), simulate: own },
  { name: 'scope-product', scope: GateScope.PRODUCT, xml: document(GateScope.PRODUCT), simulate: enclosing('product:partners') },
  { name: 'scope-service', scope: GateScope.SERVICE, xml: document(GateScope.SERVICE), simulate: enclosing('global') },
  {
    name: 'scope-service-custom-policy',
    scope: GateScope.SERVICE,
    xml: document(GateScope.SERVICE, CustomPolicy.fromXml('<policies><inbound><rate-limit calls="1000" renewal-period="60" /></inbound><backend><forward-request timeout="30" /></backend></policies>')),
    simulate: enclosing('global'),
  },
];

describe.each(CASES)('$name', ({ name, xml, simulate }) => {
  test('is well-formed and matches its golden file', () => {
    assertWellFormedXml(xml);
    expectXmlSnapshot(__dirname, name, xml);
  });

  test.each([
    ['no certificate', undefined],
    ['an unknown certificate with the trusted one\'s names', unknown],
  ])('a caller with %s is rejected by the gate before any statement of the user runs', (_label, certificate) => {
    const result = simulate(xml, certificate);
    expect(result.outcome).toBe(SimulatedOutcome.REJECTED);
    expect(result.statusCode).toBe(401);
    expect(result.rejectedBy).toMatch(/validate-client-certificate|when/);
    // Nothing the simulator skipped and that could change the outcome was reached, except
    // statements allowed before the gate, which can only reject or fail, never forward.
    const uncertain = result.notSimulated.filter((part) => part.reached && part.mayChangeOutcome);
    expect(uncertain.filter((part) => !STATEMENTS_ALLOWED_BEFORE_GATE.includes(part.element))).toEqual([]);
  });

  test('the trusted caller is forwarded', () => {
    expect(simulate(xml, trusted).outcome).toBe(SimulatedOutcome.FORWARDED);
  });
});
