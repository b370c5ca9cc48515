import { ClientCertificateGateOptions, ClientCertificateTrust, clientCertificateGate, GateStyle, InvalidGateOptionsError, PolicyDocument } from '../../../src';
import { PolicyFormat, SimulatedCertificate, SimulatedOutcome, simulatePolicy } from '../../../src/policy/simulator';
import { issueCertificate, TestCertificate } from '../../support/x509';
import { assertWellFormedXml } from '../../support/xml';
import { admitted, pick, seededRandom } from './fixtures';

/*
 * Hostile text in every user-supplied field that reaches a policy (issuer, subject,
 * rejectReason). Where the gate accepts a value, the policy must stay well-formed XML, mean the
 * same as rawxml, still reject an unknown certificate, and still admit the trusted one.
 */

const BASE_SEED = 0xf0220;
const CASES_PER_FIELD = 60;

// Pieces chosen to break out of XML attributes, C# literals, APIM expressions and named values.
const PIECES = [
  '"', "'", '<', '>', '&', '&amp;', '&#x22;', ')', '(', '")', '") || true || ("', '{{', '}}', '{{secret}}', '@(', '@{', '${', '%{',
  '\\', '\\"', '\\u0022', ',', '+', '=', ';', '#', ' ', '  ', 'é', '中文', 'ß', '\u00a0', '\u200e', '😀', '𝄞', '\u0007', '\n', '\t',
  'CN', 'O=x', 'a', 'Contoso', '-', '.', '/', '*', '?', '!', '|', '||', '&&', '//', '/*', '*/', ']]>', '<!--', '-->',
];

function randomText(random: () => number, maxPieces = 8): string {
  const count = 1 + Math.floor(random() * maxPieces);
  let text = '';
  for (let i = 0; i < count; i++) text += pick(random, PIECES);
  return text;
}

/**
 * A common name the test certificate writer can encode: its DN parser splits on "," outside
 * quotes and has no escape for a quote inside quotes, and it trims unquoted values.
 */
function writableSubject(value: string): string {
  let cn = value.trim();
  if (cn.includes(',') && cn.includes('"')) cn = cn.replace(/,/g, ';');
  if (cn.startsWith('"')) cn = 'x' + cn;
  if (cn === '') cn = 'x';
  return cn.includes(',') ? `CN="${cn}"` : `CN=${cn}`;
}

function render(options: ClientCertificateGateOptions): string | undefined {
  try {
    return new PolicyDocument({ inbound: [clientCertificateGate(options)] }).render();
  } catch (error) {
    if (error instanceof InvalidGateOptionsError) return undefined; // refusing a value is fine
    throw error;
  }
}

interface Outcome {
  readonly accepted: number;
  readonly refused: number;
}

/** Runs the checks for one accepted gate, in both formats. */
function expectGateHolds(xml: string, trusted: TestCertificate, unknown: TestCertificate, expectedReason?: string): void {
  assertWellFormedXml(xml);
  for (const format of [PolicyFormat.XML, PolicyFormat.RAWXML]) {
    const rejected = simulatePolicy(xml, { clientCertificate: unknown.x509, format });
    expect(rejected).toMatchObject({ outcome: SimulatedOutcome.REJECTED, statusCode: 401 });
    if (expectedReason !== undefined) expect(rejected.reason).toBe(expectedReason);
    expect(admitted(simulatePolicy(xml, { clientCertificate: trusted.x509, format }))).toBe(true);
    expect(simulatePolicy(xml, { format }).outcome).toBe(SimulatedOutcome.REJECTED);
  }
}

function fuzzDistinguishedName(field: 'issuer' | 'subject', seedOffset: number): Outcome {
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < CASES_PER_FIELD; i++) {
    const seed = BASE_SEED + seedOffset + i;
    const random = seededRandom(seed);
    const name = writableSubject(randomText(random));
    let trusted: TestCertificate;
    let unknown: TestCertificate;
    if (field === 'issuer') {
      const ca = issueCertificate({ subject: name, ca: true });
      trusted = issueCertificate({ subject: 'CN=partner', issuer: ca });
      unknown = issueCertificate({ subject: 'CN=partner', issuer: ca });
    } else {
      trusted = issueCertificate({ subject: name });
      unknown = issueCertificate({ subject: name });
    }
    const dotnet = SimulatedCertificate.of(trusted.x509);
    const value = field === 'issuer' ? dotnet.issuer : dotnet.subject;
    for (const style of [GateStyle.VALIDATE_POLICY, GateStyle.EXPRESSION]) {
      const xml = render({ trust: ClientCertificateTrust.thumbprints([trusted.thumbprint]), style, [field]: value });
      if (xml === undefined) {
        refused++;
        continue;
      }
      accepted++;
      try {
        expectGateHolds(xml, trusted, unknown);
      } catch (error) {
        throw new Error(`seed ${seed}, ${field} ${JSON.stringify(value)}, ${style}: ${(error as Error).message}`);
      }
    }
  }
  return { accepted, refused };
}

test('issuer: hostile distinguished names stay inside their attribute and literal', () => {
  const { accepted } = fuzzDistinguishedName('issuer', 0);
  expect(accepted).toBeGreaterThan(CASES_PER_FIELD / 2);
});

test('subject: hostile distinguished names stay inside their attribute and literal', () => {
  const { accepted } = fuzzDistinguishedName('subject', 10_000);
  expect(accepted).toBeGreaterThan(CASES_PER_FIELD / 2);
});

test('rejectReason: hostile text is answered verbatim and changes nothing else', () => {
  const trusted = issueCertificate({ subject: 'CN=partner' });
  const unknown = issueCertificate({ subject: 'CN=partner' });
  let accepted = 0;
  for (let i = 0; i < CASES_PER_FIELD * 2; i++) {
    const seed = BASE_SEED + 20_000 + i;
    const reason = randomText(seededRandom(seed));
    const xml = render({ trust: ClientCertificateTrust.thumbprints([trusted.thumbprint]), style: GateStyle.EXPRESSION, rejectReason: reason });
    if (xml === undefined) continue;
    accepted++;
    try {
      expectGateHolds(xml, trusted, unknown, reason);
    } catch (error) {
      throw new Error(`seed ${seed}, rejectReason ${JSON.stringify(reason)}: ${(error as Error).message}`);
    }
  }
  expect(accepted).toBeGreaterThan(CASES_PER_FIELD / 2);
});
