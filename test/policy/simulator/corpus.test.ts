import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InvalidPolicyError,
  PolicySimulation,
  SimulatedCertificate,
  SimulatedOutcome,
  SimulatedRequest,
  simulatePolicy,
  UnknownNamedValueError,
  UnsupportedExpressionError,
} from '../../../src/policy/simulator';
import { TestCertificate } from '../../support/x509';
import { baseRequest, Caller, CORPUS, CorpusCase } from './corpus/expectations';
import { Pki, testPki } from './fixtures';

/*
 * Hand-written client-certificate policies in the shapes real teams write (corpus/*.xml), each
 * simulated for five callers. Every answer must be decided, with nothing reached that is not
 * simulated and could change it, or refused by name, exactly as corpus/expectations.ts says.
 */

const FOLDER = join(__dirname, 'corpus');
const FRAGMENT_SUFFIX = '.fragment.xml';

function fill(text: string, p: Pki): string {
  const issuer = SimulatedCertificate.of(p.partnerCa.x509).subject;
  return text
    .replace(/__TRUSTED_THUMBPRINT_LOWER__/g, p.trusted.thumbprint.toLowerCase())
    .replace(/__TRUSTED_THUMBPRINT__/g, p.trusted.thumbprint)
    .replace(/__EXPIRED_THUMBPRINT__/g, p.expired.thumbprint)
    .replace(/__PARTNER_CA_CSHARP__/g, issuer.replace(/"/g, '\\"'))
    .replace(/__PARTNER_CA__/g, issuer);
}

function callerCertificate(p: Pki, caller: Caller): TestCertificate | undefined {
  return { none: undefined, untrusted: p.wrongIssuer, impostor: p.unknown, expired: p.expired, trusted: p.trusted }[caller];
}

function requestFor(entry: CorpusCase, p: Pki, caller: Caller): SimulatedRequest {
  const certificate = callerCertificate(p, caller);
  const fragmentFile = entry.file.replace(/\.xml$/, FRAGMENT_SUFFIX);
  const fragments = readdirSync(FOLDER).includes(fragmentFile) ? { 'mtls-gate': fill(readFileSync(join(FOLDER, fragmentFile), 'utf8'), p) } : undefined;
  const presentation = entry.presentation;
  const presented: SimulatedRequest = !presentation
    ? { clientCertificate: certificate?.x509 }
    : { headers: certificate ? { [presentation.header]: presentation.as === 'thumbprint' ? certificate.thumbprint.toLowerCase() : certificate.x509.raw.toString('base64') } : {} };
  return { ...baseRequest(p), fragments, ...presented, ...entry.request?.(p) };
}

function verdict(simulate: () => PolicySimulation): { readonly text: string; readonly result?: PolicySimulation } {
  try {
    const result = simulate();
    const text = result.outcome === SimulatedOutcome.FORWARDED ? 'forwarded' : `${result.outcome} ${result.statusCode}`;
    return { text, result };
  } catch (error) {
    if (error instanceof UnknownNamedValueError) return { text: `unknown named value ${error.namedValue}` };
    if (error instanceof UnsupportedExpressionError) return { text: `unsupported ${error.unsupported}` };
    if (error instanceof InvalidPolicyError) return { text: 'invalid' };
    throw error;
  }
}

test('the corpus holds at least 20 policies, each with its expectations', () => {
  const files = readdirSync(FOLDER).filter((file) => file.endsWith('.xml') && !file.endsWith(FRAGMENT_SUFFIX));
  expect(files.length).toBeGreaterThanOrEqual(20);
  expect(CORPUS.map((entry) => entry.file).sort()).toEqual(files.sort());
});

const cases = CORPUS.flatMap((entry) => (Object.keys(entry.expected) as Caller[]).map((caller) => [entry.file, caller, entry] as const));

test.each(cases)('%s with a caller: %s', (file, caller, entry) => {
  const p = testPki();
  const policy = fill(readFileSync(join(FOLDER, file), 'utf8'), p);
  const { text, result } = verdict(() => simulatePolicy(policy, requestFor(entry, p, caller)));
  expect(text).toBe(entry.expected[caller]);
  if (result) expect(result.notSimulated.filter((part) => part.reached && part.mayChangeOutcome)).toEqual([]);
});
