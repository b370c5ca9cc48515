import { Base } from '../adversarial/base-stack';
import { reviewChanges } from '../../../src';
import { Attempt, linesOf, NOW, Outcome, runAttempts, synthAttempt } from './harness';

/*
 * Request headers against the review (third opponent round): the callers the review simulates
 * also send the headers the policies read, with their thumbprint and then the texts a marker
 * value was tested against. These attempts make the admitting value one the marker never meets
 * (after a transformation, behind a second header, behind a send-request) or read a header
 * without letting anyone in.
 */

const PARTNER_REJECT = '|| !(context.Deployment.Certificates.Any(';
/** Adds `extra` as another way in to the /partners gate (expression style: reject unless trusted). */
const partnersAlsoAdmit = (extra: string) => (b: Base) =>
  b.partners.policy.addOverride('xml_content', b.partners.policyXml.replace(PARTNER_REJECT, `|| !(${extra} || context.Deployment.Certificates.Any(`));

/** Puts `statements` first in the /partners gate's <inbound>, before its <base /> and its check. */
const partnersFirst = (statements: string) => (b: Base) => {
  const xml = b.partners.policyXml;
  if (!xml.includes('<inbound>')) throw new Error('the /partners policy has no <inbound>');
  b.partners.policy.addOverride('xml_content', xml.replace('<inbound>', `<inbound>${statements}`));
};

const header = (name: string) => `context.Request.Headers.GetValueOrDefault("${name}", "")`;
const SEND_TO_BACKEND =
  '<send-request mode="new" response-variable-name="inner" timeout="10"><set-url>https://partners.internal.contoso.example/</set-url><set-method>GET</set-method></send-request>';

export const HEADER_ATTEMPTS: readonly Attempt[] = [
  {
    name: '/partners also admits callers whose X-Key header, upper-cased, is a constant',
    change: partnersAlsoAdmit(`${header('X-Key')}.ToUpper() == "OPEN-SESAME"`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened /,
    // DEFECT: the marker is compared only after ToUpper(), which makes another string, so the
    // observer records no test and no value is tried; the read header is not reported as a change.
  },
  {
    name: '/partners also admits callers whose X-Key header starts with "open" (checked with Substring)',
    change: partnersAlsoAdmit(`${header('X-Key')}.Length >= 4 && ${header('X-Key')}.Substring(0, 4) == "open"`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened /,
  },
  {
    name: '/partners also admits callers sending two headers with two constants (the second read only when the first matches)',
    change: partnersAlsoAdmit(`(${header('X-A')} == "open" && ${header('X-B')} == "sesame")`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened /,
  },
  {
    name: '/partners also admits callers whose two headers are equal and not empty',
    change: partnersAlsoAdmit(`(${header('X-A')} != "" && ${header('X-A')} == ${header('X-B')})`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened /,
  },
  {
    name: '/partners answers callers sending X-Preview: on with what the backend returns, before its gate, under status 403',
    change: partnersFirst(
      `<choose><when condition='@(${header('X-Preview')} == "on")'>${SEND_TO_BACKEND}<return-response response-variable-name="inner"><set-status code="403" reason="Forbidden" /></return-response></when></choose>`,
    ),
    outcome: Outcome.WEAKENED,
    expect: /^weakened /,
  },
  {
    name: '/partners admits callers whose X-Key header equals a constant (control: found by the marker)',
    change: partnersAlsoAdmit(`${header('X-Key')} == "open-sesame"`),
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict .* rejected→(forwarded|answered) .*partners/,
  },
  {
    name: '/partners logs X-Request-Id in a variable after its gate (nobody gets further)',
    change: (b) => b.partners.policy.addOverride('xml_content', b.partners.policyXml.replace('</inbound>', `<set-variable name="rid" value='@(${header('X-Request-Id')})' /></inbound>`)),
    outcome: Outcome.PASSES,
    expect: 'none',
  },
  {
    name: '/partners reads X-Request-Id into a variable before its gate (nobody gets further)',
    change: partnersFirst(`<set-variable name="rid" value='@(${header('X-Request-Id')})' />`),
    // Nobody gets further, but what runs before the gate now depends on a header the caller
    // chooses, and the review cannot tell a harmless read from a transformed test (ToUpper,
    // Substring): the rejection is proven only for the headers sent, which counts as weakened.
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→rejected .*partners/,
  },
  {
    name: '/partners answers 503 before its gate to callers sending X-Maintenance: on',
    change: partnersFirst(`<choose><when condition='@(${header('X-Maintenance')} == "on")'><return-response><set-status code="503" reason="Maintenance" /></return-response></when></choose>`),
    // Same reason: the review tried X-Maintenance: on (a 503), but cannot prove no other value gets further.
    outcome: Outcome.WEAKENED,
    expect: /^weakened verdict unknown rejected→rejected .*partners/,
  },
];

runAttempts(HEADER_ATTEMPTS);

/** The base already admits anyone sending X-Key: open-sesame; the head admits the same callers through ToUpper(). */
const SAME_BYPASS_UPPER_CASED: Partial<Attempt> = {
  baseChange: partnersAlsoAdmit(`${header('X-Key')} == "open-sesame"`),
  change: (b) => b.partners.policy.addOverride('xml_content', b.partners.policyXml.replace(PARTNER_REJECT, `|| !(${header('X-Key')}.ToUpper() == "OPEN-SESAME" || context.Deployment.Certificates.Any(`)),
};

describe('a header bypass rewritten so the marker search misses it', () => {
  let againstPlain: string[];
  let lines: string[];
  beforeAll(() => {
    const plain = synthAttempt({}, 'base');
    const base = synthAttempt(SAME_BYPASS_UPPER_CASED, 'base');
    const head = synthAttempt(SAME_BYPASS_UPPER_CASED, 'head', base);
    againstPlain = linesOf(reviewChanges(base, plain, { now: NOW }).changes!);
    lines = linesOf(reviewChanges(head, base, { now: NOW }).changes!);
  }, 60000);

  test('the base\'s bypass by X-Key: open-sesame is found (weakened against the base without it)', () => {
    expect(againstPlain).toContainEqual(expect.stringMatching(/^weakened verdict .* rejected→(forwarded|answered) .*partners/));
  });

  // The head's bypass is not found (ToUpper() hides the constant from the marker), but the
  // callers' rejection holds only for the headers they sent: never counted as a strengthening.
  test('the same bypass written with ToUpper() is no strengthening', () => {
    expect(lines.filter((line) => line.startsWith('strengthened'))).toEqual([]);
    expect(lines).toContainEqual(expect.stringMatching(/^to-note verdict .*→rejected/));
  });
});
