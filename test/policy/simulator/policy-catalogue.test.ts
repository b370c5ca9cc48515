import { APIM_POLICY_ELEMENTS, InvalidPolicyError, simulatePolicy } from '../../../src/policy/simulator';

function sections(inbound: string, { backend = '', onError = '' } = {}): string {
  return `<policies><inbound><base />${inbound}</inbound><backend><base />${backend}</backend><outbound><base /></outbound><on-error><base />${onError}</on-error></policies>`;
}

describe('the catalogue of APIM policies', () => {
  test('an element that is not an APIM policy is refused, even where no request reaches it', () => {
    expect(() => simulatePolicy(sections('<validate-client-certificat />'))).toThrow(/<validate-client-certificat> is not an API Management policy/);
    expect(() => simulatePolicy(sections('<choose><when condition="false"><rate-limits calls="1" /></when></choose>'))).toThrow(InvalidPolicyError);
    expect(() => simulatePolicy(sections('', { onError: '<retry count="2"><foo /></retry>' }))).toThrow(/<foo>/);
  });

  test('a known policy the simulator does not decide is listed in notSimulated, and run both ways when it can only reject', () => {
    const result = simulatePolicy(sections('<rate-limit-by-key calls="5" renewal-period="60" counter-key="@(context.Request.IpAddress)" />'));
    expect(result.notSimulated).toEqual([expect.objectContaining({ element: 'rate-limit-by-key', mayChangeOutcome: false, reached: true })]);
    expect(result.alternatives.map((alternative) => alternative.simulation.statusCode)).toEqual([429]);
    expect(APIM_POLICY_ELEMENTS.has('llm-token-limit')).toBe(true);
  });

  test.each([
    ['a section that is not one', '<policies><inbound /><inbond /></policies>', /<inbond> is not a policy section/],
    ['choose with something other than when/otherwise', sections('<choose><set-header name="x" /></choose>'), /holds only <when> and <otherwise>/],
    ['return-response with a policy inside', sections('<return-response><base /></return-response>'), /holds only <set-status>/],
    ['validate-client-certificate in backend', sections('', { backend: '<validate-client-certificate />' }), /allowed only in the inbound section, not in backend/],
    ['validate-client-certificate in on-error', sections('', { onError: '<choose><when condition="true"><validate-client-certificate /></when></choose>' }), /not in on-error/],
    ['authentication-certificate in backend', sections('', { backend: '<authentication-certificate certificate-id="x" />' }), /allowed only in the inbound section/],
  ])('%s is refused', (_label, policy, message) => {
    expect(() => simulatePolicy(policy)).toThrow(InvalidPolicyError);
    expect(() => simulatePolicy(policy)).toThrow(message);
  });

  test('a fragment is checked for the section it is included in', () => {
    const fragments = { gate: '<fragment><validate-client-certificate /></fragment>' };
    expect(simulatePolicy(sections('<include-fragment fragment-id="gate" />'), { fragments }).statusCode).toBe(401);
    expect(() => simulatePolicy(sections('', { backend: '<include-fragment fragment-id="gate" />' }), { fragments })).toThrow(/not in backend/);
    expect(() => simulatePolicy(sections('<include-fragment fragment-id="f" />'), { fragments: { f: '<fragment><nope /></fragment>' } })).toThrow(/<nope>/);
  });
});
