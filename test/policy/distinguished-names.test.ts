import { clientCertificateGate, ClientCertGatedApi, ClientCertificateTrust, GateStyle, PolicyDocument, simulatePolicy, SimulatedOutcome } from '../../src';
import { newService, newStack } from '../support/stack';
import { issueCertificate } from '../support/x509';

const PINNED = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

function gatedApi(options: { issuer?: string; subject?: string }) {
  const stack = newStack();
  return () =>
    new ClientCertGatedApi(stack, 'PartnerApi', {
      apiManagement: newService(stack), displayName: 'Partner', path: 'partner', serviceUrl: 'https://orders.example.com',
      trust: ClientCertificateTrust.uploadedCertificates(), ...options,
    });
}

describe('invisible, bidirectional and unpaired surrogate characters in an issuer or subject', () => {
  test.each([
    ['a right-to-left override', 'CN=\u202Eartner CA', 'U+202E', 'CN=<U+202E>artner CA'],
    ['a left-to-right mark copied from a certificate dialog', '\u200ECN=Contoso CA', 'U+200E', '<U+200E>CN=Contoso CA'],
    ['a zero-width space', 'CN=Contoso\u200B CA', 'U+200B', 'CN=Contoso<U+200B> CA'],
    ['a byte order mark', 'CN=Contoso CA\uFEFF', 'U+FEFF', 'CN=Contoso CA<U+FEFF>'],
    ['a soft hyphen', 'CN=Con\u00ADtoso CA', 'U+00AD', 'CN=Con<U+00AD>toso CA'],
    ['an unpaired surrogate', 'CN=Contoso \uD800CA', 'U+D800', 'CN=Contoso <U+D800>CA'],
    ['a line separator', 'CN=Contoso\u2028CA', 'U+2028', 'CN=Contoso<U+2028>CA'],
    ['an isolate', 'CN=\u2067Contoso\u2069 CA', 'U+2067, U+2069', 'CN=<U+2067>Contoso<U+2069> CA'],
  ])('%s is refused, showing the code points', (_label, name, codePoints, shown) => {
    for (const what of ['issuer', 'subject'] as const) {
      expect(gatedApi({ [what]: name })).toThrow(
        `test/PartnerApi: ${what} contains invisible, bidirectional or unpaired surrogate characters (${codePoints}) at ${JSON.stringify(shown)}. Retype the value without them.`,
      );
    }
  });

  test('letters outside ASCII are names like any other: the gate admits exactly the certificate with that subject', () => {
    const subject = 'CN=Müller Zulieferer, O=Müller GmbH';
    const partner = issueCertificate({ subject });
    const other = issueCertificate({ subject: 'CN=Muller Zulieferer, O=Muller GmbH' });
    for (const style of [GateStyle.VALIDATE_POLICY, GateStyle.EXPRESSION]) {
      const policy = new PolicyDocument({
        inbound: [clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([partner.thumbprint, other.thumbprint]), subject, style })],
      }).render();
      expect(simulatePolicy(policy, { clientCertificate: partner.x509 })).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, notSimulated: [] });
      expect(simulatePolicy(policy, { clientCertificate: other.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
    }
  });

  test('the gate function refuses them too, for callers that use it without a construct', () => {
    expect(() => clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([PINNED]), issuer: 'CN=\u202EAC oslnoC' })).toThrow(/^issuer contains invisible.*\(U\+202E\)/);
  });
});
