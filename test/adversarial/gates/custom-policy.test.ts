import { CustomPolicy } from '../../../src';
import { newService, newStack, warningsOf } from '../../support/stack';
import { gatedApi, synthError } from './support';

/*
 * CustomPolicy.fromXml abuse: the user's own policy around the gate, written to get a caller
 * past it. Expected verdict, decided before each attempt ran: refused (at construction or synth)
 * naming the statement and the fix, or a pass when the statement cannot admit anyone the gate
 * refuses. Never a synth that passes with a statement answering before the gate.
 */

/** The error a stack with a gated API using `xml` as its custom policy fails with ('' when it passes), and its warnings. */
function attempt(xml: string): { error: string; warnings: string[] } {
  const stack = newStack();
  try {
    gatedApi(stack, newService(stack, 'Developer_1'), { customPolicy: CustomPolicy.fromXml(xml) });
  } catch (caught) {
    return { error: (caught as Error).message, warnings: [] };
  }
  return { error: synthError(stack), warnings: warningsOf(stack).filter((warning) => warning.includes('could not prove')) };
}

const policies = (inbound: string, rest = '') => `<policies><inbound>${inbound}</inbound>${rest}</policies>`;

describe('statements from the allow-list before <base /> that try to answer', () => {
  test('validate-jwt with failed-validation-httpcode="200" before <base /> is refused: its "rejection" would answer before the gate', () => {
    expect(attempt(policies('<validate-jwt header-name="Authorization" failed-validation-httpcode="200" /><base />')).error).toMatch(
      /<validate-jwt failed-validation-httpcode="200"> before <base \/> in <inbound> must answer the callers it refuses with an error status.*Write failed-validation-httpcode as a number from 400 to 599/,
    );
  });

  test('check-header with failed-check-httpcode="302" (a redirect) before <base /> is refused the same way', () => {
    expect(attempt(policies('<check-header name="X-Key" failed-check-httpcode="302" failed-check-error-message="go" ignore-case="true"><value>k</value></check-header><base />')).error).toMatch(
      /<check-header failed-check-httpcode="302"> before <base \/>.*must answer the callers it refuses with an error status/,
    );
  });

  test('validate-azure-ad-token with the status as an expression before <base /> is refused: its value is decided per request', () => {
    expect(attempt(policies('<validate-azure-ad-token tenant-id="t" failed-validation-httpcode="@(200)" /><base />')).error).toMatch(
      /<validate-azure-ad-token failed-validation-httpcode="@\(200\)"> before <base \/>.*Write failed-validation-httpcode as a number from 400 to 599/,
    );
  });

  test('validate-jwt holding a return-response before <base /> is refused: statements there hold only their settings', () => {
    expect(attempt(policies(`<validate-jwt header-name="Authorization"><return-response><set-status code="200" reason="OK" /></return-response></validate-jwt><base />`)).error).toMatch(
      /<validate-jwt> before <base \/> in <inbound> holds <return-response>, a policy statement.*Move <return-response> after <base \/>/,
    );
  });

  test('a choose before <base /> is refused, naming the allow-list', () => {
    expect(attempt(policies('<choose><when condition="@(true)"><return-response /></when></choose><base />')).error).toMatch(
      /<choose> before <base \/> in <inbound> would run before the client-certificate gate.*Before <base \/> only these may run: set-variable/,
    );
  });

  test('an include-fragment before <base /> is refused: the fragment could answer', () => {
    expect(attempt(policies('<include-fragment fragment-id="answers" /><base />')).error).toMatch(/<include-fragment> before <base \/> in <inbound> would run before the client-certificate gate/);
  });

  test('cors before <base /> is refused: it answers preflight requests itself', () => {
    expect(attempt(policies('<cors><allowed-origins><origin>*</origin></allowed-origins></cors><base />')).error).toMatch(/<cors> before <base \/> in <inbound> would run before the client-certificate gate/);
  });
});

describe('statements that can only reject or annotate before <base />', () => {
  test('rate-limit, ip-filter and check-header with 401 before <base /> pass without warnings: they only turn callers away', () => {
    const verdict = attempt(
      policies(
        '<rate-limit calls="10" renewal-period="60" /><ip-filter action="allow"><address-range from="10.0.0.0" to="10.0.0.255" /></ip-filter>' +
          '<check-header name="X-Key" failed-check-httpcode="401" failed-check-error-message="no" ignore-case="true"><value>k</value></check-header><base />',
      ),
    );
    expect(verdict).toEqual({ error: '', warnings: [] });
  });

  test('set-header forging X-ARR-ClientCert before <base />, trusted by a choose after the gate, passes: the gate reads the TLS certificate, not the header, and rejects first', () => {
    const verdict = attempt(
      policies(
        '<set-header name="X-ARR-ClientCert" exists-action="override"><value>forged</value></set-header><base />' +
          '<choose><when condition="@(context.Request.Headers.GetValueOrDefault(&quot;X-ARR-ClientCert&quot;, &quot;&quot;) != &quot;&quot;)"><set-header name="X-Trusted" exists-action="override"><value>yes</value></set-header></when></choose>',
      ),
    );
    expect(verdict.error).toBe('');
  });

  test('set-variable with an expression before <base /> cannot steer the gate: the gate reads no variables, and synth passes', () => {
    expect(attempt(policies('<set-variable name="trusted" value="@(true)" /><base />')).error).toBe('');
  });
});

describe('the other sections', () => {
  test('an on-error section answering 200 after <base /> fails synth: the gate\'s rejection would become an answer', () => {
    expect(attempt(policies('<base />', `<on-error><base /><return-response><set-status code="200" reason="OK" /></return-response></on-error>`)).error).toMatch(
      /test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway/,
    );
  });

  test('a return-response after the gate passes: only callers the gate admitted reach it', () => {
    expect(attempt(policies('<base /><return-response><set-status code="200" reason="OK" /></return-response>')).error).toBe('');
  });

  test('Terraform interpolation in the XML is refused, naming the construct, the value and the fix', () => {
    expect(attempt(policies('<base /><set-header name="X-A" exists-action="override"><value>${var.secret}</value></set-header>')).error).toBe(
      'test/Gated: text of <value> contains "${" or "%{", which Terraform would interpolate. Write the value itself, or keep it in an APIM named value and write {{name}}: "${var.secret}"',
    );
  });
});
