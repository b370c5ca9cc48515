import { simulatePolicy, ValueObserver, ValueTest } from '../../../src/policy/simulator';
import { testPki } from './fixtures';

/*
 * The observer tells a review what a run did with the presented certificate's fields: each test
 * against another text, and any other use, whatever the policy's text looks like.
 */

const OTHER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

function observe(condition: string) {
  const presented = testPki().unknown;
  const thumbprint = presented.x509.fingerprint.replace(/:/g, '');
  const observer = new ValueObserver([thumbprint]);
  simulatePolicy(
    `<policies><inbound><choose><when condition='@{ var c = context.Request.Certificate; return !(${condition}); }'><return-response><set-status code="403" reason="no" /></return-response></when></choose></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>`,
    { clientCertificate: presented.x509, observer },
  );
  return observer.observationOf(thumbprint);
}

describe('what a run does with a watched value', () => {
  test('a comparison with a text built in pieces is an equality test against the whole text', () => {
    expect(observe(`c.Thumbprint == "${OTHER.slice(0, 10)}" + "${OTHER.slice(10)}"`)).toEqual({ tests: [{ test: ValueTest.EQUALS, against: OTHER, ignoreCase: false }], otherUses: [] });
  });

  test.each([
    ['c.Thumbprint.StartsWith("AB")', { test: ValueTest.STARTS_WITH, against: 'AB', ignoreCase: false }],
    ['c.Thumbprint.EndsWith("cd", StringComparison.OrdinalIgnoreCase)', { test: ValueTest.ENDS_WITH, against: 'cd', ignoreCase: true }],
    ['c.Thumbprint.Contains("EF")', { test: ValueTest.CONTAINS, against: 'EF', ignoreCase: false }],
  ])('%s is a test of part of it, with its case rule', (condition, expected) => {
    expect(observe(condition).tests).toEqual([expected]);
  });

  test('a value derived from it (Substring, ToLower) is a use the observer cannot read as a test', () => {
    expect(observe('c.Thumbprint.Substring(0, 4) == "ABCD"').otherUses).not.toEqual([]);
  });

  test('a policy that never reads it leaves no trace', () => {
    expect(observe('c.Subject == "CN=x"')).toEqual({ tests: [], otherUses: [] });
  });

  test('the identity check of validate-client-certificate compares it, ignoring case', () => {
    const presented = testPki().unknown;
    const thumbprint = presented.x509.fingerprint.replace(/:/g, '');
    const observer = new ValueObserver([thumbprint]);
    simulatePolicy(
      `<policies><inbound><validate-client-certificate validate-revocation="false" validate-trust="false" validate-not-before="false" validate-not-after="false" ignore-error="false"><identities><identity thumbprint="${OTHER}" /></identities></validate-client-certificate></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>`,
      { clientCertificate: presented.x509, observer },
    );
    expect(observer.observationOf(thumbprint).tests).toEqual([{ test: ValueTest.EQUALS, against: OTHER, ignoreCase: true }]);
  });
});
