import { X509Certificate } from 'node:crypto';
import { ClientCertificateGateOptions, GateStyle } from '../../../src';
import { RevocationStatus, SimulatedCertificate, SimulatedRequest } from '../../../src/policy/simulator';
import { issueCertificate, TestCertificate } from '../../support/x509';
import { admitted, pick, seededRandom, simulateGate, subset, testPki, TRUST_KINDS, uploadedMap } from './fixtures';

/*
 * Property: for any trust options and any caller, the validate-client-certificate gate and the
 * expression gate make the same decision. Each case derives from its own seed; a failure names
 * the seed, so `CASES`/`BASE_SEED` can be narrowed to replay it.
 */

const BASE_SEED = 0x5eed_2024;
const CASES = 400;

function certificatePool() {
  const p = testPki();
  const issuingCa = issueCertificate({ subject: 'CN=Contoso Issuing CA 1, O="Contoso, Inc."', issuer: p.partnerCa, ca: true });
  const viaIntermediate = issueCertificate({ subject: 'CN=partner-c, O=Partner C', issuer: issuingCa });
  // Signed by a certificate that is not a CA: no chain may accept it.
  const issuedByLeaf = issueCertificate({ subject: 'CN=partner-d', issuer: p.trusted });
  const clients: TestCertificate[] = [
    p.trusted, p.unknown, p.expired, p.notYetValid, p.wrongIssuer, p.wrongSubject, p.selfSigned, viaIntermediate, issuedByLeaf, p.partnerCa,
  ];
  return { p, issuingCa, clients, cas: [p.partnerCa, p.otherCa, issuingCa] };
}

interface Case {
  readonly kind: string;
  readonly trusted: TestCertificate[];
  readonly options: Omit<ClientCertificateGateOptions, 'trust' | 'style'>;
  readonly request: SimulatedRequest;
}

function randomCase(seed: number, pool: ReturnType<typeof certificatePool>): Case {
  const random = seededRandom(seed);
  const { p, clients, cas } = pool;
  const dotnet = (certificate: TestCertificate) => SimulatedCertificate.of(certificate.x509);
  const kind = pick(random, Object.keys(TRUST_KINDS));
  let trusted = subset(random, clients).slice(0, 10);
  if (trusted.length === 0) trusted = [pick(random, clients)];
  const verifyChain = random() < 0.5;
  const options = {
    verifyChain,
    checkRevocation: verifyChain ? pick(random, [undefined, true, false]) : undefined,
    // verifyChain checks validity itself, so turning the validity check off is only allowed without it.
    checkValidityPeriod: verifyChain ? pick(random, [undefined, true]) : pick(random, [undefined, true, false]),
    issuer: pick(random, [undefined, undefined, dotnet(p.partnerCa).subject, dotnet(p.otherCa).subject, dotnet(pool.issuingCa).subject]),
    subject: pick(random, [undefined, undefined, dotnet(p.trusted).subject, dotnet(p.wrongSubject).subject]),
  };
  // Trusted certificates are usually uploaded too; sometimes one was deleted from the service.
  const uploaded = [...new Set([...(random() < 0.8 ? trusted : []), ...subset(random, clients)])];
  const presented: TestCertificate | undefined = pick(random, [undefined, ...clients, ...trusted]);
  const request: SimulatedRequest = {
    clientCertificate: presented?.x509,
    uploadedCertificates: uploadedMap(uploaded),
    caCertificates: subset(random, cas).map((ca) => ca.x509),
    revocation: pick(random, Object.values(RevocationStatus)),
  };
  return { kind, trusted, options, request };
}

function describeCase(seed: number, c: Case): string {
  const name = (certificate: X509Certificate | SimulatedCertificate | undefined) => {
    if (!certificate) return 'none';
    const view = certificate instanceof SimulatedCertificate ? certificate : SimulatedCertificate.of(certificate);
    return view.subject + ' ' + view.thumbprint.slice(0, 8);
  };
  return JSON.stringify({
    seed,
    kind: c.kind,
    trusted: c.trusted.map((t) => name(t.x509)),
    options: c.options,
    presented: name(c.request.clientCertificate),
    uploaded: Object.keys(c.request.uploadedCertificates ?? {}),
    cas: (c.request.caCertificates ?? []).map(name),
    revocation: c.request.revocation,
  });
}

test(`both gate styles make the same decision (${CASES} random cases)`, () => {
  const pool = certificatePool();
  const disagreements: string[] = [];
  let admittedCount = 0;
  for (let i = 0; i < CASES; i++) {
    const seed = BASE_SEED + i;
    const c = randomCase(seed, pool);
    const trust = TRUST_KINDS[c.kind](c.trusted);
    const validate = simulateGate({ ...c.options, trust, style: GateStyle.VALIDATE_POLICY }, c.request);
    const expression = simulateGate({ ...c.options, trust, style: GateStyle.EXPRESSION }, c.request);
    for (const result of [validate, expression]) {
      expect(result.notSimulated).toEqual([]);
      if (!admitted(result)) expect(result.statusCode).toBe(401);
    }
    if (admitted(validate) !== admitted(expression)) {
      disagreements.push(`${describeCase(seed, c)}\n  validate: ${validate.trace.join(' | ')}\n  expression: ${expression.trace.join(' | ')}`);
    }
    if (admitted(expression)) admittedCount++;
  }
  expect(disagreements).toEqual([]);
  // The property means little unless both decisions occur often.
  expect(admittedCount).toBeGreaterThan(CASES * 0.05);
  expect(admittedCount).toBeLessThan(CASES * 0.95);
});

test('a certificate is admitted only when it is trusted and passes every enabled check (oracle)', () => {
  // An independent statement of the rule for the simplest options, checked on the same pool.
  const pool = certificatePool();
  const now = new Date();
  for (const kind of ['thumbprints', 'certificates']) {
    for (const presented of pool.clients) {
      const trusted = pool.clients.filter((_, i) => i % 2 === 0);
      const result = simulateGate({ trust: TRUST_KINDS[kind](trusted), style: GateStyle.EXPRESSION }, { clientCertificate: presented.x509 });
      const valid = presented.notBefore <= now && now <= presented.notAfter;
      expect(admitted(result)).toBe(trusted.includes(presented) && valid);
    }
  }
});
