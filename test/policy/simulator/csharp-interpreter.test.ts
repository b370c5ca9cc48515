import {
  compilePolicyExpression,
  ExpressionHost,
  InvalidPolicyError,
  PolicyExpressionException,
  SimulatedCertificate,
  UnsupportedExpressionError,
} from '../../../src/policy/simulator';
import { testPki } from './fixtures';

function host(overrides: Partial<ExpressionHost> = {}): ExpressionHost {
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

const run = (source: string, h: ExpressionHost = host()) => compilePolicyExpression(source).evaluate(h);
const noCertificate = () => host({ requestCertificate: undefined });

describe('literals', () => {
  test.each([
    ['"\\u0022" == "\\""'],
    ['"\\\\" == @"\\"'],
    ['@"say ""hi""" == "say \\"hi\\""'],
    ['"\\x41" == "A"'],
    ['"\\x0041" == "A"'],
    ['"\\U0001F600" == "\\uD83D\\uDE00"'],
    ['"\\t\\n\\r\\0\\a\\b\\f\\v\\\'" != ""'],
    ['null == null'],
    ['"" != null'],
    ['true != false'],
  ])('%s is true', (source) => {
    expect(run(source)).toBe(true);
  });

  test('string equality is ordinal and case-sensitive', () => {
    expect(run('"ab" == "AB"')).toBe(false);
    expect(run('"e\\u0301" == "\\u00E9"')).toBe(false); // no normalization
  });
});

describe('operators', () => {
  test('&& binds tighter than ||, ! tighter than both', () => {
    expect(run('true || false && false')).toBe(true);
    expect(run('!true || true')).toBe(true);
    expect(run('!(true || true)')).toBe(false);
    expect(run('(true || false) && false')).toBe(false);
  });

  test('|| and && short-circuit, as the seeds\' null check relies on', () => {
    const h = noCertificate();
    expect(run('context.Request.Certificate == null || context.Request.Certificate.Thumbprint == "x"', h)).toBe(true);
    expect(run('context.Request.Certificate != null && context.Request.Certificate.Thumbprint == "x"', h)).toBe(false);
  });

  test('DateTime comparisons', () => {
    const p = testPki();
    const expired = host({ requestCertificate: SimulatedCertificate.of(p.expired.x509) });
    expect(run('DateTime.Now > context.Request.Certificate.NotAfter', expired)).toBe(true);
    expect(run('context.Request.Certificate.NotAfter < DateTime.UtcNow', expired)).toBe(true);
    expect(run('context.Request.Certificate.NotBefore <= context.Request.Certificate.NotAfter', expired)).toBe(true);
    expect(run('DateTime.Now >= context.Request.Certificate.NotBefore', expired)).toBe(true);
    expect(run('DateTime.Now == DateTime.UtcNow')).toBe(true);
  });
});

describe('the certificate and the deployment', () => {
  test('members read the .NET values', () => {
    const p = testPki();
    const trusted = SimulatedCertificate.of(p.trusted.x509);
    expect(run('context.Request.Certificate.Thumbprint')).toBe(p.trusted.thumbprint);
    expect(run('context.Request.Certificate.Subject')).toBe('CN=partner-a, O=Partner A');
    expect(run('context.Request.Certificate.SubjectName.Name')).toBe('CN=partner-a, O=Partner A');
    expect(run('context.Request.Certificate.Issuer')).toBe('CN=Contoso Partner CA, O="Contoso, Inc.", C=US');
    expect(run('context.Request.Certificate.IssuerName.Name')).toBe(trusted.issuer);
    expect(run('context.Request.Certificate.SerialNumber')).toBe(trusted.serialNumber);
  });

  test('Verify() checks revocation, VerifyNoRevocation() does not', () => {
    expect(run('context.Request.Certificate.Verify()')).toBe(false);
    expect(run('context.Request.Certificate.VerifyNoRevocation()')).toBe(true);
  });

  test('Any(...) sees each uploaded certificate with its id', () => {
    const p = testPki();
    expect(run(`context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)`)).toBe(true);
    expect(run(`context.Deployment.Certificates.Any(c => c.Key == "partner-a" && c.Value.Thumbprint == "${p.trusted.thumbprint}")`)).toBe(true);
    expect(run(`context.Deployment.Certificates.Any(c => !(c.Key != "backend" || c.Value.Thumbprint != context.Request.Certificate.Thumbprint))`)).toBe(false);
    expect(run('context.Deployment.Certificates.Any(c => true)', host({ deploymentCertificates: [] }))).toBe(false);
  });

  test('Contains on string arrays and strings', () => {
    expect(run('new string[] { "CN=a", "CN=partner-a, O=Partner A" }.Contains(context.Request.Certificate.Subject)')).toBe(true);
    expect(run('new[] { "x", null, }.Contains(null)')).toBe(true);
    expect(run('context.Request.Certificate.Subject.Contains("partner-a")')).toBe(true);
  });
});

describe('.NET exceptions', () => {
  test('member access on a missing certificate throws NullReferenceException', () => {
    const evaluate = () => run('context.Request.Certificate.Thumbprint == "x"', noCertificate());
    expect(evaluate).toThrow(PolicyExpressionException);
    expect(evaluate).toThrow(/NullReferenceException.*context\.Request\.Certificate is null/);
  });

  test('a method call on a missing certificate throws too', () => {
    expect(() => run('!context.Request.Certificate.Verify()', noCertificate())).toThrow(/NullReferenceException/);
  });

  test('string.Contains(null) throws ArgumentNullException', () => {
    expect(() => run('"abc".Contains(null)')).toThrow(/ArgumentNullException/);
  });
});

describe('outside the subset: an error naming the text, never a guess', () => {
  test.each([
    ['context.Request.Headers.GetValueOrDefault("X-Cert", "") == "x"', 'context.Request.Headers'],
    ['context.Request.Certificate.Thumbprint.ToUpper() == "x"', 'context.Request.Certificate.Thumbprint.ToUpper()'],
    ['context.Request.Certificate.Subject.StartsWith("CN=")', 'context.Request.Certificate.Subject.StartsWith("CN=")'],
    ['context.Variables.ContainsKey("x")', 'context.Variables'],
    ['context.Request.Certificate?.Thumbprint == "x"', '?.Thumbprint == "x"'],
    ['1 == 1', '1 == 1'],
    ['true ? true : false', '? true : false'],
    ['$"{1}" == "1"', '$"{1}" == "1"'],
    ["'a' == 'a'", "'a' == 'a'"],
    ['foo == null', 'foo'],
    ['context.Deployment.Certificates["x"] != null', '["x"] != null'],
    ['context.Deployment.Certificates.Any(c => c.Value == context.Request.Certificate)', 'c.Value == context.Request.Certificate'],
    ['context.Deployment.Certificates.Any()', 'context.Deployment.Certificates.Any()'],
    ['(c => true) == null', 'c => true'],
    ['DateTime.Now > "x"', 'DateTime.Now > "x"'],
  ])('%s', (source, unsupported) => {
    let error: unknown;
    try {
      compilePolicyExpression(source);
    } catch (e) {
      error = e;
    }
    if (!(error instanceof UnsupportedExpressionError)) throw new Error(`no UnsupportedExpressionError for ${source}: ${error}`);
    expect(error.unsupported).toContain(unsupported);
    expect(error.expression).toBe(source);
  });

  test('an unsupported member is found even where short-circuiting would skip it', () => {
    expect(() => compilePolicyExpression('true || context.Request.IpAddress == "1.2.3.4"')).toThrow(UnsupportedExpressionError);
    expect(() => compilePolicyExpression('true || context.Request.IpAddress == "1.2.3.4"')).toThrow(/context\.Request\.IpAddress/);
  });

  test.each([
    ['"a" == true', /operator == cannot be applied to operands of type string and bool/],
    ['!"a"', /expected bool, found string/],
    ['context.Request.Certificate ==', /ends too early/],
    ['"unterminated', /no closing quote/],
    ['"\\q"', /invalid escape/],
    ['null.Thumbprint', /member access on the null literal/],
    ['context.Request.Certificate.Verify(true)', /takes 0 argument/],
  ])('%s does not compile in C# either', (source, message) => {
    expect(() => compilePolicyExpression(source)).toThrow(InvalidPolicyError);
    expect(() => compilePolicyExpression(source)).toThrow(message);
  });
});
