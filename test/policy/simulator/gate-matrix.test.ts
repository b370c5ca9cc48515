import { ClientCertificateGateOptions, GateStyle } from '../../../src';
import { RevocationStatus, SimulatedCertificate, SimulatedOutcome, SimulatedRequest } from '../../../src/policy/simulator';
import { TestCertificate } from '../../support/x509';
import { Pki, pinnedCertificates, simulateGate, testPki, TRUST_KINDS, uploadedMap } from './fixtures';

/*
 * Every trust kind × gate style × kind of caller, simulated with real certificates. Every
 * certificate except `unknown` is pinned (or uploaded), so each rejection below comes from the
 * check the cell is about, not from the certificate being unknown.
 */

interface Cell {
  /** The certificate presented, or none. */
  readonly present: (p: Pki) => TestCertificate | undefined;
  readonly options?: (p: Pki) => Partial<ClientCertificateGateOptions>;
  readonly request?: (p: Pki) => Partial<SimulatedRequest>;
  readonly admitted: boolean;
}

const cells: Record<string, Cell> = {
  'no certificate': { present: () => undefined, admitted: false },
  'trusted': { present: (p) => p.trusted, admitted: true },
  'unknown': { present: (p) => p.unknown, admitted: false },
  'expired': { present: (p) => p.expired, admitted: false },
  'not yet valid': { present: (p) => p.notYetValid, admitted: false },
  'wrong issuer': {
    present: (p) => p.wrongIssuer,
    options: (p) => ({ issuer: SimulatedCertificate.of(p.partnerCa.x509).subject }),
    admitted: false,
  },
  'wrong subject': {
    present: (p) => p.wrongSubject,
    options: (p) => ({ subject: SimulatedCertificate.of(p.trusted.x509).subject }),
    admitted: false,
  },
  'self-signed with chain check on': {
    present: (p) => p.selfSigned,
    options: () => ({ verifyChain: true }),
    // A reachable, clean revocation responder: only the missing chain can reject.
    request: (p) => ({ caCertificates: [p.partnerCa.x509], revocation: RevocationStatus.GOOD }),
    admitted: false,
  },
  // Controls: the same checks admit the trusted certificate, so the rejections above are theirs.
  'control: trusted with issuer and subject': {
    present: (p) => p.trusted,
    options: (p) => ({ issuer: SimulatedCertificate.of(p.partnerCa.x509).subject, subject: SimulatedCertificate.of(p.trusted.x509).subject }),
    admitted: true,
  },
  'control: trusted with chain check and a good revocation answer': {
    present: (p) => p.trusted,
    options: () => ({ verifyChain: true }),
    request: (p) => ({ caCertificates: [p.partnerCa.x509], revocation: RevocationStatus.GOOD }),
    admitted: true,
  },
  'control: trusted with chain check, revocation unreachable': {
    present: (p) => p.trusted,
    options: () => ({ verifyChain: true }),
    request: (p) => ({ caCertificates: [p.partnerCa.x509] }),
    admitted: false,
  },
  'control: trusted with chain check, without revocation': {
    present: (p) => p.trusted,
    options: () => ({ verifyChain: true, checkRevocation: false }),
    request: (p) => ({ caCertificates: [p.partnerCa.x509] }),
    admitted: true,
  },
  'control: trusted with chain check, CA not uploaded': {
    present: (p) => p.trusted,
    options: () => ({ verifyChain: true, checkRevocation: false }),
    request: (p) => ({ caCertificates: [p.otherCa.x509] }),
    admitted: false,
  },
  'control: expired with the validity check turned off': {
    present: (p) => p.expired,
    options: () => ({ checkValidityPeriod: false }),
    admitted: true,
  },
  'control: self-signed without chain check': { present: (p) => p.selfSigned, admitted: true },
};

const styles: Record<string, GateStyle> = { 'validate policy': GateStyle.VALIDATE_POLICY, 'expression': GateStyle.EXPRESSION };

describe.each(Object.entries(TRUST_KINDS))('trust %s', (_kind, trust) => {
  describe.each(Object.entries(styles))('%s gate', (_style, style) => {
    test.each(Object.entries(cells))('%s', (_cell, cell) => {
      const p = testPki();
      const pinned = pinnedCertificates(p);
      const presented = cell.present(p);
      const result = simulateGate(
        { trust: trust(pinned), style, ...cell.options?.(p) },
        { clientCertificate: presented?.x509, uploadedCertificates: uploadedMap(pinned), ...cell.request?.(p) },
      );

      // Our generated policies are simulated completely: nothing is skipped or guessed.
      expect(result.notSimulated).toEqual([]);
      expect(result.outcomeUncertain).toBe(false);
      if (cell.admitted) {
        expect(result).toMatchObject({ outcome: SimulatedOutcome.FORWARDED });
        expect(result.statusCode).toBeUndefined();
      } else {
        expect(result).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
        expect(result.rejectedBy).toMatch(/^\/policies\/inbound\//);
      }
    });
  });
});

describe('how each style rejects', () => {
  test('the expression gate answers with its return-response and the seeds\' reason', () => {
    const p = testPki();
    const result = simulateGate(
      { trust: TRUST_KINDS.thumbprints([p.trusted]), style: GateStyle.EXPRESSION, rejectStatusCode: 403, rejectReason: 'Forbidden partner' },
      { clientCertificate: p.unknown.x509 },
    );
    expect(result).toMatchObject({
      outcome: SimulatedOutcome.REJECTED,
      statusCode: 403,
      reason: 'Forbidden partner',
      rejectedBy: '/policies/inbound/choose/when/return-response',
      error: undefined,
    });
  });

  test('validate-client-certificate raises an error; on-error (only <base />) lets APIM answer 401', () => {
    const p = testPki();
    const result = simulateGate({ trust: TRUST_KINDS.thumbprints([p.trusted]) }, { clientCertificate: p.unknown.x509 });
    expect(result).toMatchObject({
      outcome: SimulatedOutcome.REJECTED,
      statusCode: 401,
      rejectedBy: '/policies/inbound/validate-client-certificate',
      error: { source: 'validate-client-certificate', reason: 'ClientCertificateValidationFailed' },
    });
    expect(result.error!.message).toMatch(/matches none of the identities/);
  });

  test('a missing certificate never reaches a member access (no NullReferenceException, no 500)', () => {
    for (const trust of Object.values(TRUST_KINDS)) {
      for (const style of Object.values(styles)) {
        const result = simulateGate({ trust: trust([testPki().trusted]), style, verifyChain: true }, {});
        expect(result.statusCode).toBe(401);
        expect(result.error?.reason).not.toBe('NullReferenceException');
      }
    }
  });
});
