import { ClientCertificateGateOptions, clientCertificateGate, ClientCertificateTrust, ITrustedCertificate, PolicyDocument } from '../../../src';
import { ExpressionHost, PolicySimulation, SimulatedCertificate, SimulatedOutcome, SimulatedRequest, simulatePolicy } from '../../../src/policy/simulator';
import { issueCertificate, TestCertificate, TestCertificateAuthority } from '../../support/x509';
import { assertWellFormedXml } from '../../support/xml';

export const DAY = 24 * 60 * 60 * 1000;

/** The certificates the gate tests present: one CA, its partners, and the ways a certificate goes wrong. */
export interface Pki {
  readonly partnerCa: TestCertificateAuthority;
  readonly otherCa: TestCertificateAuthority;
  readonly trusted: TestCertificate;
  /** Same subject and issuer as `trusted`, but never pinned or uploaded. */
  readonly unknown: TestCertificate;
  readonly expired: TestCertificate;
  readonly notYetValid: TestCertificate;
  readonly wrongIssuer: TestCertificate;
  readonly wrongSubject: TestCertificate;
  readonly selfSigned: TestCertificate;
}

export const PARTNER_SUBJECT = 'CN=partner-a, O=Partner A';

let pki: Pki | undefined;

/** Created once per test file: key generation is the slow part. */
export function testPki(): Pki {
  if (pki) return pki;
  const now = Date.now();
  const partnerCa = issueCertificate({ subject: 'CN=Contoso Partner CA, O="Contoso, Inc.", C=US', ca: true });
  const otherCa = issueCertificate({ subject: 'CN=Fabrikam CA, O=Fabrikam', ca: true });
  const partner = (extra: Partial<Parameters<typeof issueCertificate>[0]> = {}) =>
    issueCertificate({ subject: PARTNER_SUBJECT, issuer: partnerCa, ...extra });
  pki = {
    partnerCa,
    otherCa,
    trusted: partner(),
    unknown: partner(),
    expired: partner({ notBefore: new Date(now - 60 * DAY), notAfter: new Date(now - DAY) }),
    notYetValid: partner({ notBefore: new Date(now + DAY), notAfter: new Date(now + 90 * DAY) }),
    wrongIssuer: partner({ issuer: otherCa }),
    wrongSubject: partner({ subject: 'CN=partner-b, O=Partner B' }),
    selfSigned: issueCertificate({ subject: PARTNER_SUBJECT }),
  };
  return pki;
}

/** Every certificate of the PKI that a trust list pins (all but `unknown`). */
export function pinnedCertificates(p: Pki): TestCertificate[] {
  return [p.trusted, p.expired, p.notYetValid, p.wrongIssuer, p.wrongSubject, p.selfSigned];
}

/** Certificate id under which a test certificate is uploaded. */
export function idOf(certificate: TestCertificate): string {
  return `cert-${certificate.thumbprint.slice(0, 8).toLowerCase()}`;
}

export function uploadedMap(certificates: readonly TestCertificate[]): Record<string, TestCertificate['x509']> {
  return Object.fromEntries(certificates.map((certificate) => [idOf(certificate), certificate.x509]));
}

/** `rotatesOutsideTerraform` is set only when asked, so the plain kind stays the foundation's. */
export function trustedCertificate(certificate: TestCertificate, rotatesOutsideTerraform = false): ITrustedCertificate {
  const trusted = { certificateId: idOf(certificate), thumbprint: certificate.thumbprint };
  return (rotatesOutsideTerraform ? { ...trusted, rotatesOutsideTerraform: true } : trusted) as ITrustedCertificate;
}

/** The trust kinds of the gate, each trusting `certificates`. */
export const TRUST_KINDS: Record<string, (certificates: readonly TestCertificate[]) => ClientCertificateTrust> = {
  'thumbprints': (certificates) => ClientCertificateTrust.thumbprints(certificates.map((c) => c.thumbprint)),
  'uploadedCertificates': () => ClientCertificateTrust.uploadedCertificates(),
  'certificates': (certificates) => ClientCertificateTrust.certificates(certificates.map((c) => trustedCertificate(c))),
  'certificates (rotating, matched by id)': (certificates) =>
    ClientCertificateTrust.certificates(certificates.map((c) => trustedCertificate(c, true))),
};

/** The gate as a whole policy document, checked to be well-formed XML. */
export function gatePolicy(options: ClientCertificateGateOptions): string {
  const xml = new PolicyDocument({ inbound: [clientCertificateGate(options)] }).render();
  assertWellFormedXml(xml);
  return xml;
}

export function simulateGate(options: ClientCertificateGateOptions, request: SimulatedRequest): PolicySimulation {
  return simulatePolicy(gatePolicy(options), request);
}

export function admitted(result: PolicySimulation): boolean {
  return result.outcome === SimulatedOutcome.FORWARDED;
}

/** A small seeded PRNG (mulberry32), so a failing random case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A random subset (each item kept with probability 1/2), in the original order. */
export function subset<T>(random: () => number, items: readonly T[]): T[] {
  return items.filter(() => random() < 0.5);
}

/**
 * What expressions see in the interpreter tests: the trusted certificate presented, it and the
 * self-signed one uploaded; Verify() passes without revocation only.
 */
export function expressionHost(overrides: Partial<ExpressionHost> = {}): ExpressionHost {
  const p = testPki();
  return {
    requestCertificate: SimulatedCertificate.of(p.trusted.x509),
    deploymentCertificates: [
      ['partner-a', SimulatedCertificate.of(p.trusted.x509)],
      ['backend', SimulatedCertificate.of(p.selfSigned.x509)],
    ],
    now: new Date(),
    verify: (_certificate, checkRevocation) => !checkRevocation,
    ...overrides,
  };
}
