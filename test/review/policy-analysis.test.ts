import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  analysePolicy,
  clientCertificateGate,
  ClientCertificateGateOptions,
  ClientCertificateTrust,
  GateStyle,
  PolicyDocument,
  ReviewedGateStatus,
  ReviewedGateStyle,
  TrustMemberKind,
} from '../../src';

const A = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const B = '0123456789ABCDEF0123456789ABCDEF01234567';
const ISSUER = 'CN=Contoso Partner CA, O="Contoso, Inc.", C=US';
const SUBJECT = 'CN=partner-a, O=Partner A';

const trusts = {
  thumbprints: () => ({ trust: ClientCertificateTrust.thumbprints([A, B]), members: [{ kind: TrustMemberKind.THUMBPRINT, thumbprint: A }, { kind: TrustMemberKind.THUMBPRINT, thumbprint: B }] }),
  uploaded: () => ({ trust: ClientCertificateTrust.uploadedCertificates(), members: [{ kind: TrustMemberKind.ANY_UPLOADED }] }),
  certificates: () => ({
    trust: ClientCertificateTrust.certificates([
      { certificateId: 'gateway-client', thumbprint: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF', rotatesOutsideTerraform: true },
      { certificateId: 'partner-b-1234abcd', thumbprint: B },
    ]),
    members: [{ kind: TrustMemberKind.THUMBPRINT, thumbprint: B }, { kind: TrustMemberKind.CERTIFICATE_ID, certificateId: 'gateway-client' }],
  }),
};

const checkSets = [
  { verifyChain: false, checkRevocation: false, checkValidityPeriod: true },
  { verifyChain: true, checkRevocation: true, checkValidityPeriod: true },
  { verifyChain: true, checkRevocation: false, checkValidityPeriod: true },
  { verifyChain: false, checkRevocation: false, checkValidityPeriod: false },
];

const cases: Array<[string, GateStyle, number]> = [];
for (const trust of Object.keys(trusts)) {
  for (const style of [GateStyle.VALIDATE_POLICY, GateStyle.EXPRESSION]) {
    for (let i = 0; i < checkSets.length; i++) cases.push([trust, style, i]);
  }
}

describe('every gate this library generates is read back exactly', () => {
  test.each(cases)('%s, %s, checks #%d', (trustName, style, checkIndex) => {
    const { trust, members } = trusts[trustName as keyof typeof trusts]();
    const checks = checkSets[checkIndex];
    for (const rules of [{}, { issuer: ISSUER, subject: SUBJECT }]) {
      const options: ClientCertificateGateOptions = {
        trust,
        style,
        ...checks,
        ...rules,
        ...(style === GateStyle.EXPRESSION ? { rejectStatusCode: 403, rejectReason: 'Client certificate not accepted' } : {}),
      };
      const xml = new PolicyDocument({ inbound: [clientCertificateGate(options)] }).render();
      const { gate, inboundHasBase, notes } = analysePolicy(xml);
      const expectedStyle =
        style === GateStyle.EXPRESSION
          ? ReviewedGateStyle.EXPRESSION
          : trustName === 'thumbprints'
            ? ReviewedGateStyle.VALIDATE_POLICY
            : ReviewedGateStyle.VALIDATE_POLICY_WITH_EXPRESSION;
      expect(gate).toEqual({
        status: ReviewedGateStatus.RECOGNISED,
        style: expectedStyle,
        members,
        rules: 'issuer' in rules ? [{ name: 'issuer-subject', value: ISSUER }, { name: 'subject', value: SUBJECT }] : [],
        checks: { chain: checks.verifyChain, revocation: checks.checkRevocation, notBefore: checks.checkValidityPeriod, notAfter: checks.checkValidityPeriod },
        rejectStatusCode: style === GateStyle.EXPRESSION ? 403 : 401,
        ...(style === GateStyle.EXPRESSION ? { rejectReason: 'Client certificate not accepted' } : {}),
        // Membership by expression answers like validate-client-certificate: 401.
        ...(expectedStyle === ReviewedGateStyle.VALIDATE_POLICY_WITH_EXPRESSION ? { rejectReason: 'Invalid client certificate' } : {}),
        details: [],
      });
      expect(inboundHasBase).toBe(true);
      expect(notes).toEqual([]);
    }
  });

  test('the XML snapshots of the policy tests are all recognised', () => {
    const dir = join(__dirname, '..', 'policy', '__snapshots__');
    const files = readdirSync(dir).filter((f) => f.startsWith('gate-') && f.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      // Some snapshots are the gate element alone.
      const xml = text.startsWith('<policies>') ? text : `<policies><inbound><base />${text}</inbound></policies>`;
      expect([file, analysePolicy(xml).gate.status]).toEqual([file, ReviewedGateStatus.RECOGNISED]);
    }
  });
});

describe('routing statements', () => {
  test('set-backend-service and authentication-certificate are read; body and password never', () => {
    const analysis = analysePolicy(
      '<policies><inbound><base /><set-backend-service backend-id="orders" />' +
        '<authentication-certificate certificate-id="gateway-client" />' +
        '<authentication-certificate body="@((byte[]) context.Variables["cert"])" password="secret-value" /></inbound></policies>',
    );
    expect(analysis.backendId).toBe('orders');
    expect(analysis.authenticationCertificates).toEqual([{ certificateId: 'gateway-client' }, {}]);
    expect(JSON.stringify(analysis)).not.toContain('secret-value');
    expect(analysis.gate.status).toBe(ReviewedGateStatus.NO_GATE);
  });
});

describe('hand-written forms', () => {
  const policy = (condition: string) =>
    `<policies><inbound><base /><choose><when condition='@(${condition})'><return-response><set-status code="401" /></return-response></when></choose></inbound></policies>`;

  test('spacing, parentheses and rawxml && do not matter', () => {
    const gate = analysePolicy(
      policy(`(context.Request.Certificate==null) || !( context.Deployment.Certificates.Any( x => x.Key == "partner" && x.Value.Thumbprint == context.Request.Certificate.Thumbprint ) ) || context.Request.Certificate.NotAfter < DateTime.Now`),
    ).gate;
    expect(gate).toMatchObject({
      status: ReviewedGateStatus.RECOGNISED,
      members: [{ kind: TrustMemberKind.CERTIFICATE_ID, certificateId: 'partner' }],
      checks: { chain: false, revocation: false, notBefore: false, notAfter: true },
    });
  });

  test.each([
    ['no null check', `context.Request.Certificate.Thumbprint != "${A}"`, 'does not test "context.Request.Certificate == null"'],
    ['a deny list', `context.Request.Certificate == null || context.Request.Certificate.Thumbprint == "${A}"`, 'rejects the certificates it names and admits every other one'],
    ['two memberships', `context.Request.Certificate == null || context.Request.Certificate.Thumbprint != "${A}" || context.Request.Certificate.Thumbprint != "${B}"`, 'tests membership more than once'],
    ['an unknown term', 'context.Request.Certificate == null || context.Request.Certificate.SerialNumber != "01"', 'is not a client-certificate check this review knows'],
  ])('%s is not recognised', (_name, condition, problem) => {
    const gate = analysePolicy(policy(condition)).gate;
    expect(gate.status).toBe(ReviewedGateStatus.NOT_RECOGNISED);
    expect(gate.problem).toContain(problem);
  });

  test('validate-client-certificate with ignore-error="true" admits everyone', () => {
    const gate = analysePolicy(`<policies><inbound><validate-client-certificate ignore-error="true"><identities><identity thumbprint="${A}" /></identities></validate-client-certificate></inbound></policies>`).gate;
    expect(gate.members).toEqual([{ kind: TrustMemberKind.ANYONE }]);
    // Omitted attributes take APIM's defaults (all checks on).
    expect(gate.checks).toEqual({ chain: true, revocation: true, notBefore: true, notAfter: true });
  });

  test('a policy that reads differently as XML and as rawxml is not recognised', () => {
    // As XML the entity is a quote; as rawxml the expression is taken literally.
    const gate = analysePolicy(policy(`context.Request.Certificate == null || context.Request.Certificate.Thumbprint != &quot;${A}&quot;`)).gate;
    expect(gate.status).toBe(ReviewedGateStatus.NOT_RECOGNISED);
    expect(gate.problem).toContain('read as XML and as rawxml');
  });
});
