import { Testing, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import {
  ClientCertificateGateOptions,
  ClientCertificateTrust,
  clientCertificateGate,
  GateStyle,
  InvalidGateOptionsError,
  InvalidTrustError,
  PolicyDocument,
  renderPolicyElement,
} from '../../src';
import { assertWellFormedXml, attributesOf, expectXmlSnapshot } from '../support/xml';

const PARTNER_A = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const PARTNER_B = '0123456789ABCDEF0123456789ABCDEF01234567';
/** The seeds' uploaded-certificate condition, corrected with the missing `!`. */
const CORRECTED_UPLOADED_CHECK =
  'context.Request.Certificate == null || !context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)';

function gateXml(options: ClientCertificateGateOptions): string {
  return renderPolicyElement(clientCertificateGate(options));
}

function conditionOf(xml: string): string {
  const whens = attributesOf(xml, 'when');
  expect(whens).toHaveLength(1);
  const condition = whens[0].condition;
  expect(condition.startsWith('@(') && condition.endsWith(')')).toBe(true);
  return condition.slice(2, -1);
}

function trustedCertificate(thumbprint: string) {
  return { certificateId: 'partner-c', thumbprint };
}

const trusts: Record<string, () => ClientCertificateTrust> = {
  'thumbprint': () => ClientCertificateTrust.thumbprints([PARTNER_A]),
  'thumbprints': () => ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]),
  'uploaded-certificates': () => ClientCertificateTrust.uploadedCertificates(),
  'certificates': () => ClientCertificateTrust.certificates([trustedCertificate(PARTNER_B)]),
};
const styles: Record<string, GateStyle> = { validate: GateStyle.VALIDATE_POLICY, expression: GateStyle.EXPRESSION };

describe('clientCertificateGate snapshots (every style × trust kind)', () => {
  for (const [styleName, style] of Object.entries(styles)) {
    for (const [trustName, trust] of Object.entries(trusts)) {
      test(`${styleName} / ${trustName}`, () => {
        const xml = new PolicyDocument({ inbound: [clientCertificateGate({ trust: trust(), style })] }).render();
        assertWellFormedXml(xml);
        expectXmlSnapshot(__dirname, `gate-${styleName}-${trustName}`, xml);
      });
    }
  }

  test('expression / thumbprints with chain, revocation, issuer and subject checks', () => {
    const xml = gateXml({
      trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
      style: GateStyle.EXPRESSION,
      verifyChain: true,
      issuer: 'CN=Contoso Partner CA, O="Contoso, Inc.", C=US',
      subject: 'CN=partner-a, O=Partner A',
    });
    assertWellFormedXml(xml);
    expectXmlSnapshot(__dirname, 'gate-expression-all-checks', xml);
  });

  test('validate / thumbprints with chain, revocation, issuer and subject checks', () => {
    const xml = gateXml({
      trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]),
      verifyChain: true,
      issuer: 'CN=Contoso Partner CA, O="Contoso, Inc.", C=US',
      subject: 'CN=partner-a, O=Partner A',
    });
    assertWellFormedXml(xml);
    expectXmlSnapshot(__dirname, 'gate-validate-all-checks', xml);
  });
});

describe('expression gate', () => {
  test('rejects a missing certificate first, as the seeds do', () => {
    for (const trust of Object.values(trusts)) {
      const condition = conditionOf(gateXml({ trust: trust(), style: GateStyle.EXPRESSION }));
      expect(condition.startsWith('context.Request.Certificate == null || ')).toBe(true);
    }
  });

  test('uploaded certificates: the negation the seeds lack is present', () => {
    const condition = conditionOf(gateXml({ trust: ClientCertificateTrust.uploadedCertificates(), style: GateStyle.EXPRESSION }));
    expect(condition.startsWith(CORRECTED_UPLOADED_CHECK)).toBe(true);
    // The seeds' form, which admits every unknown certificate, must never be produced.
    expect(condition).not.toMatch(/\|\| context\.Deployment\.Certificates\.Any/);
  });

  test('one pinned thumbprint is the seeds\' comparison, with the normalized value', () => {
    const condition = conditionOf(
      gateXml({ trust: ClientCertificateTrust.thumbprints([PARTNER_A.toLowerCase()]), style: GateStyle.EXPRESSION, checkValidityPeriod: false }),
    );
    expect(condition).toBe(`context.Request.Certificate == null || context.Request.Certificate.Thumbprint != "${PARTNER_A}"`);
  });

  test('several pinned thumbprints reject a certificate that matches none of them', () => {
    const condition = conditionOf(
      gateXml({ trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_B]), style: GateStyle.EXPRESSION, checkValidityPeriod: false }),
    );
    expect(condition).toBe(
      'context.Request.Certificate == null || !(context.Request.Certificate.Thumbprint == ' +
        `"${PARTNER_A}" || context.Request.Certificate.Thumbprint == "${PARTNER_B}")`,
    );
  });

  test('validity period is checked by default without "<" and can be turned off', () => {
    const withValidity = conditionOf(gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION }));
    expect(withValidity).toContain('DateTime.Now > context.Request.Certificate.NotAfter');
    expect(withValidity).toContain('context.Request.Certificate.NotBefore > DateTime.Now');
    const without = conditionOf(gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION, checkValidityPeriod: false }));
    expect(without).not.toContain('DateTime');
  });

  test('chain verification uses Verify() with revocation, VerifyNoRevocation() without', () => {
    const full = conditionOf(gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION, verifyChain: true }));
    expect(full).toContain('|| !context.Request.Certificate.Verify()');
    const noRevocation = conditionOf(
      gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION, verifyChain: true, checkRevocation: false }),
    );
    expect(noRevocation).toContain('|| !context.Request.Certificate.VerifyNoRevocation()');
    expect(conditionOf(gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION }))).not.toContain('Verify');
  });

  test('uses the default 401 reply of the seeds and a chosen one when given', () => {
    const byDefault = attributesOf(gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION }), 'set-status');
    expect(byDefault).toEqual([{ code: '401', reason: 'Invalid client certificate' }]);
    const chosen = attributesOf(
      gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION, rejectStatusCode: 403, rejectReason: 'Forbidden "partner"' }),
      'set-status',
    );
    expect(chosen).toEqual([{ code: '403', reason: 'Forbidden "partner"' }]);
  });

  test('issuer and subject with quotes and metacharacters stay inside their C# string literals', () => {
    const issuer = `CN=Evil", O=") || true || ("<&>'`;
    const xml = gateXml({ trust: trusts.thumbprint(), style: GateStyle.EXPRESSION, issuer, subject: 'CN=x\\y' });
    assertWellFormedXml(xml);
    const condition = conditionOf(xml);
    // With every string literal taken out, only our own code is left: nothing leaked out of one.
    expect(condition.replace(/"(?:[^"\\]|\\.)*"/g, '""')).toBe(
      'context.Request.Certificate == null || context.Request.Certificate.Thumbprint != "" || ' +
        'DateTime.Now > context.Request.Certificate.NotAfter || context.Request.Certificate.NotBefore > DateTime.Now || ' +
        'context.Request.Certificate.Issuer != "" || context.Request.Certificate.SubjectName.Name != ""',
    );
    expect(condition).toContain(
      'context.Request.Certificate.Issuer != "CN=Evil\\u0022, O=\\u0022) || true || (\\u0022\\u003C\\u0026\\u003E\\u0027"',
    );
    expect(condition).toContain('context.Request.Certificate.SubjectName.Name != "CN=x\\u005Cy"');
  });

  test('a certificate whose thumbprint is a Terraform token is compared with the token after a regex() guard', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const thumbprint = new TerraformVariable(stack, 'thumb', { type: 'string' }).stringValue;
    const xml = gateXml({ trust: ClientCertificateTrust.certificates([trustedCertificate(thumbprint)]), style: GateStyle.EXPRESSION });
    // test/policy/terraform-values.test.ts shows what Terraform makes of hostile values.
    new TerraformOutput(stack, 'xml', { value: xml });
    expect(JSON.parse(Testing.synth(stack)).output.xml.value).toContain('context.Request.Certificate.Thumbprint != "${regex("^[0-9A-F]{40}$", upper(var.thumb))}"');
  });
});

describe('validate-client-certificate gate', () => {
  test('writes every check explicitly: pinning on, chain and revocation off, validity on', () => {
    const [policy] = attributesOf(gateXml({ trust: trusts.thumbprint() }), 'validate-client-certificate');
    expect(policy).toEqual({
      'validate-revocation': 'false',
      'validate-trust': 'false',
      'validate-not-before': 'true',
      'validate-not-after': 'true',
      'ignore-error': 'false',
    });
  });

  test('one identity per pinned thumbprint, each carrying the issuer and subject claims', () => {
    const xml = gateXml({ trust: trusts.thumbprints(), issuer: 'CN=CA', subject: 'CN=Partner' });
    expect(attributesOf(xml, 'identity')).toEqual([
      { 'thumbprint': PARTNER_A, 'subject': 'CN=Partner', 'issuer-subject': 'CN=CA' },
      { 'thumbprint': PARTNER_B, 'subject': 'CN=Partner', 'issuer-subject': 'CN=CA' },
    ]);
  });

  test('never ignores errors, so a failed check always rejects', () => {
    for (const trust of Object.values(trusts)) {
      for (const policy of attributesOf(gateXml({ trust: trust() }), 'validate-client-certificate')) {
        expect(policy['ignore-error']).toBe('false');
      }
    }
  });

  test('uploaded certificates: membership is the corrected expression, checks run for members only', () => {
    const xml = gateXml({ trust: ClientCertificateTrust.uploadedCertificates(), verifyChain: true });
    expect(conditionOf(xml)).toBe(CORRECTED_UPLOADED_CHECK);
    expect(xml).toMatch(/<otherwise>\s*<validate-client-certificate validate-revocation="true" validate-trust="true"/);
    expect(xml).not.toContain('<identity');
  });

  test('a gate with more than 10 certificates must use the expression style', () => {
    const many = Array.from({ length: 11 }, (_, i) => i.toString(16).toUpperCase().repeat(40).slice(0, 40));
    expect(() => clientCertificateGate({ trust: ClientCertificateTrust.thumbprints(many) })).toThrow(/at most 10 identities/);
    expect(attributesOf(gateXml({ trust: ClientCertificateTrust.thumbprints(many), style: GateStyle.EXPRESSION }), 'when')).toHaveLength(1);
  });
});

describe('bad gate options', () => {
  test.each<[string, Partial<ClientCertificateGateOptions>, RegExp]>([
    ['revocation without chain', { checkRevocation: true }, /checkRevocation: true needs verifyChain: true/],
    ['chain without validity check', { verifyChain: true, checkValidityPeriod: false }, /checkValidityPeriod: false cannot be combined with verifyChain: true/],
    ['reject status on the validate style', { rejectStatusCode: 403 }, /apply only to GateStyle.EXPRESSION/],
    ['2xx reject status', { style: GateStyle.EXPRESSION, rejectStatusCode: 200 }, /rejectStatusCode 200 is not a client error status/],
    ['non-integer reject status', { style: GateStyle.EXPRESSION, rejectStatusCode: 401.5 }, /rejectStatusCode 401.5/],
    ['reason as an expression', { style: GateStyle.EXPRESSION, rejectReason: '@(context.Variables)' }, /rejectReason "@\(context.Variables\)" starts with "@"/],
    ['reason with a named value', { style: GateStyle.EXPRESSION, rejectReason: 'a {{secret}}' }, /rejectReason "a \{\{secret\}\}" contains "\{\{"/],
    ['empty reason', { style: GateStyle.EXPRESSION, rejectReason: ' ' }, /rejectReason must be a non-empty string/],
    ['issuer that is not a DN', { issuer: 'Contoso CA' }, /issuer "Contoso CA" is not a distinguished name/],
    ['issuer with a line break', { issuer: 'CN=a\nCN=b' }, /issuer "CN=a\\nCN=b" contains a line break/],
    ['subject with Terraform interpolation', { subject: 'CN=${var.x}' }, /subject "CN=\$\{var.x\}" contains "\$\{"/],
    ['unknown style', { style: 'xpath' as GateStyle }, /style "xpath" is not a GateStyle/],
  ])('%s', (_label, options, message) => {
    const build = () => clientCertificateGate({ trust: trusts.thumbprint(), ...options });
    expect(build).toThrow(InvalidGateOptionsError);
    expect(build).toThrow(message);
  });
});

describe('ClientCertificateTrust', () => {
  test('an empty list would reject everyone and is refused when the gate is built', () => {
    for (const style of Object.values(styles)) {
      expect(() => clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([]), style })).toThrow(InvalidTrustError);
      expect(() => clientCertificateGate({ trust: ClientCertificateTrust.certificates([]), style })).toThrow(/certificates\(\[\]\) trusts no certificate/);
    }
  });

  test('a value that is not a thumbprint is named in the error', () => {
    for (const style of Object.values(styles)) {
      expect(() => clientCertificateGate({ trust: ClientCertificateTrust.thumbprints([PARTNER_A, 'not-a-thumbprint']), style })).toThrow(
        /"not-a-thumbprint" is not a SHA-1 certificate thumbprint/,
      );
    }
  });

  test('a trusted certificate\'s literal thumbprint is normalized and checked like pinned ones', () => {
    const lower = gateXml({ trust: ClientCertificateTrust.certificates([trustedCertificate(PARTNER_A.toLowerCase())]) });
    expect(attributesOf(lower, 'identity')).toEqual([{ thumbprint: PARTNER_A }]);
    expect(() => clientCertificateGate({ trust: ClientCertificateTrust.certificates([trustedCertificate('')]) })).toThrow(
      /certificate "partner-c" has thumbprint "", which is not a SHA-1 thumbprint/,
    );
  });

  test('duplicates after normalizing are pinned once', () => {
    const xml = gateXml({ trust: ClientCertificateTrust.thumbprints([PARTNER_A, PARTNER_A.toLowerCase()]) });
    expect(attributesOf(xml, 'identity')).toHaveLength(1);
  });
});
