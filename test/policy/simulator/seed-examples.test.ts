import { ClientCertificateTrust, GateStyle } from '../../../src';
import { InvalidPolicyError, PolicyFormat, SimulatedOutcome, simulatePolicy } from '../../../src/policy/simulator';
import { admitted, idOf, simulateGate, testPki } from './fixtures';

/*
 * The 2017 Microsoft examples the project started from (seed 000), as they were published:
 * statements for the inbound section, inside a policy document of our own.
 */

const SEED_UPLOADED_CERTIFICATE_CHECK = `<choose>
    <when condition="@(context.Request.Certificate == null || context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint))" >
        <return-response>
            <set-status code="401" reason="Invalid client certificate" />
        </return-response>
    </when>
</choose>`;

const SEED_THUMBPRINT_CHECK = `<choose>
    <when condition="@(context.Request.Certificate == null || context.Request.Certificate.Thumbprint != "desired-thumbprint-to-validate")" >
        <return-response>
            <set-status code="401" reason="Invalid client certificate" />
        </return-response>
    </when>
</choose>`;

function inboundPolicy(statements: string): string {
  return `<policies>\n<inbound>\n<base />\n${statements}\n</inbound>\n<backend><base /></backend>\n<outbound><base /></outbound>\n<on-error><base /></on-error>\n</policies>\n`;
}

describe("the seeds' uploaded-certificate example (no ! before Any)", () => {
  test('admits an unknown certificate and rejects a known one', () => {
    const p = testPki();
    const uploadedCertificates = { [idOf(p.trusted)]: p.trusted.x509 };
    const policy = inboundPolicy(SEED_UPLOADED_CERTIFICATE_CHECK);

    const unknown = simulatePolicy(policy, { clientCertificate: p.unknown.x509, uploadedCertificates });
    expect(unknown.outcome).toBe(SimulatedOutcome.FORWARDED);
    expect(unknown.trace).toContain('/policies/inbound/choose/when: condition is false');

    const known = simulatePolicy(policy, { clientCertificate: p.trusted.x509, uploadedCertificates });
    expect(known).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401, reason: 'Invalid client certificate' });

    // It does reject a caller without a certificate, which is why the bug went unnoticed.
    expect(simulatePolicy(policy, { uploadedCertificates }).statusCode).toBe(401);
  });

  test.each([GateStyle.EXPRESSION, GateStyle.VALIDATE_POLICY])('our generated gate (%s) rejects the unknown and admits the known', (style) => {
    const p = testPki();
    const uploadedCertificates = { [idOf(p.trusted)]: p.trusted.x509 };
    const options = { trust: ClientCertificateTrust.uploadedCertificates(), style };

    const unknown = simulateGate(options, { clientCertificate: p.unknown.x509, uploadedCertificates });
    expect(unknown).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
    expect(admitted(simulateGate(options, { clientCertificate: p.trusted.x509, uploadedCertificates }))).toBe(true);
    expect(admitted(simulateGate(options, { uploadedCertificates }))).toBe(false);
  });
});

describe("the seeds' thumbprint example", () => {
  // Its condition has C# quotes inside a double-quoted attribute: rawxml, not XML.
  const policyFor = (thumbprint: string) => inboundPolicy(SEED_THUMBPRINT_CHECK.replace('desired-thumbprint-to-validate', thumbprint));

  test('is rawxml: auto-detection reads it as such, explicit XML refuses it', () => {
    const p = testPki();
    const policy = policyFor(p.trusted.thumbprint);
    expect(simulatePolicy(policy, { clientCertificate: p.trusted.x509 }).format).toBe(PolicyFormat.RAWXML);
    expect(() => simulatePolicy(policy, { format: PolicyFormat.XML })).toThrow(InvalidPolicyError);
  });

  test('admits the pinned certificate only', () => {
    const p = testPki();
    const policy = policyFor(p.trusted.thumbprint);
    expect(admitted(simulatePolicy(policy, { clientCertificate: p.trusted.x509 }))).toBe(true);
    expect(simulatePolicy(policy, { clientCertificate: p.unknown.x509 })).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
    expect(simulatePolicy(policy, {})).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
  });

  test('admits an expired certificate: the seeds check no validity period, our gate does', () => {
    const p = testPki();
    expect(admitted(simulatePolicy(policyFor(p.expired.thumbprint), { clientCertificate: p.expired.x509 }))).toBe(true);
    const gate = simulateGate({ trust: ClientCertificateTrust.thumbprints([p.expired.thumbprint]), style: GateStyle.EXPRESSION }, { clientCertificate: p.expired.x509 });
    expect(admitted(gate)).toBe(false);
  });
});
