import {
  compilePolicyExpression,
  ExpressionHost,
  InvalidPolicyError,
  PolicyExpressionException,
  SimulatedCertificate,
  UnsupportedExpressionError,
} from '../../../src/policy/simulator';
import { expressionHost, testPki } from './fixtures';

const host = expressionHost;

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
    ["'a' == 'a'"],
    ["'\\'' == (char)39"],
    ['1 == 1'],
    ['2147483647 > -2147483647'],
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

  test('?:, ??, ?. and is null', () => {
    const h = noCertificate();
    expect(run('context.Request.Certificate?.Thumbprint', h)).toBeNull();
    expect(run('context.Request.Certificate?.Thumbprint.ToUpper() ?? "none"', h)).toBe('none');
    // The rest of a null-conditional chain is not evaluated, even a part outside the subset.
    expect(run('context.Request.Certificate?.SubjectName.Oid.Value', h)).toBeNull();
    expect(run('context.Request.Certificate?.Verify() == true', h)).toBe(false);
    expect(run('context.Request.Certificate?.NotAfter > DateTime.Now', h)).toBe(false);
    expect(run('context.Request.Certificate is null', h)).toBe(true);
    expect(run('context.Request.Certificate is null ? 401 : 200', h)).toBe(401);
    expect(compilePolicyExpression('context.Request.Certificate?.Verify()').type).toBe('bool?');
    expect(run('context.Request.Headers.GetValueOrDefault("X-Thumbprints", null)?.Split(\',\')?[1]', host({ requestHeaders: new Map([['x-thumbprints', ['A,B']]]) }))).toBe('B');
  });

  test('& and | on bools run both operands', () => {
    expect(() => run('true | context.Request.Certificate.Verify()', noCertificate())).toThrow(/NullReferenceException/);
    expect(run('false & true')).toBe(false);
    expect(run('true ^ true')).toBe(false);
  });

  test('string concatenation', () => {
    expect(run('"CN=" + "partner-a" + \',\' + true + 7')).toBe('CN=partner-a,True7');
    expect(run('null + "x"')).toBe('x');
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

  test('the certificates dictionary has an indexer, ContainsKey, Keys and Values', () => {
    const p = testPki();
    expect(run('context.Deployment.Certificates["partner-a"].Thumbprint')).toBe(p.trusted.thumbprint);
    expect(run('context.Deployment.Certificates.ContainsKey("backend")')).toBe(true);
    expect(run('context.Deployment.Certificates.Values.Any(c => c.Thumbprint == context.Request.Certificate.Thumbprint)')).toBe(true);
    expect(run('context.Deployment.Certificates.Keys.Contains("partner-a")')).toBe(true);
    expect(() => run('context.Deployment.Certificates["missing"] != null')).toThrow(/KeyNotFoundException/);
    // Whether certificate ids are compared without case is not documented: not guessed.
    expect(() => run('context.Deployment.Certificates.ContainsKey("PARTNER-A")')).toThrow(UnsupportedExpressionError);
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

  test('a failed cast from object throws InvalidCastException; as gives null', () => {
    const h = host({ variables: new Map([['flag', 'true']]) });
    expect(() => run('(bool)context.Variables["flag"]', h)).toThrow(/InvalidCastException: Unable to cast object of type 'System.String' to type 'System.Boolean'/);
    expect(run('context.Variables["flag"] as string', h)).toBe('true');
    expect(run('(string)context.Variables["flag"] == "true"', h)).toBe(true);
  });
});

describe('comments', () => {
  test.each([
    ['// We check the thumbprint here\ncontext.Request.Certificate == null'],
    ['/* don\'t let anyone in */ context.Request.Certificate == null'],
    ['context.Request.Certificate /* the caller\'s */ == null // that\'s all'],
  ])('are skipped, apostrophes and all: %s', (source) => {
    expect(run(source, noCertificate())).toBe(true);
  });

  test('an unclosed /* comment does not compile', () => {
    expect(() => compilePolicyExpression('true /* open')).toThrow(InvalidPolicyError);
  });
});

describe('short-circuit evaluation decides what the first terms decide', () => {
  const unsupported = 'context.Request.IpAddress == "10.0.0.1"';

  test('an unsupported term that evaluation never reaches does not make the condition unanswerable', () => {
    expect(run(`context.Request.Certificate == null || ${unsupported}`, noCertificate())).toBe(true);
    expect(run(`context.Request.Certificate != null && ${unsupported}`, noCertificate())).toBe(false);
    expect(run(`true || ${unsupported}`)).toBe(true);
  });

  test('the same term is an UnsupportedExpressionError naming it when evaluation reaches it', () => {
    const error = captured(() => run(`context.Request.Certificate == null || ${unsupported}`));
    expect(error).toBeInstanceOf(UnsupportedExpressionError);
    expect((error as UnsupportedExpressionError).unsupported).toBe('context.Request.IpAddress');
  });

  test('a .NET exception in an earlier term is raised first, as .NET would', () => {
    expect(() => run(`context.Request.Certificate.Thumbprint == "x" || ${unsupported}`, noCertificate())).toThrow(/NullReferenceException/);
  });

  test('?: evaluates only the branch taken', () => {
    expect(run(`context.Request.Certificate == null ? "none" : context.Request.IpAddress`, noCertificate())).toBe('none');
  });
});

describe('outside the subset: valid C# compiles, and is an error naming the text only when evaluation reaches it', () => {
  test.each([
    ['context.Request.IpAddress == "10.0.0.1"', 'context.Request.IpAddress'],
    ['$"{1}" == "1"', '$"{1}"'],
    ['1.5 > 1', '1.5'],
    ['foo == null', 'foo'],
    ['context.Deployment.Certificates.Any(c => c.Value == context.Request.Certificate)', 'c.Value == context.Request.Certificate'],
    ['context.Request.Certificate.Subject.Contains("a", StringComparison.Ordinal)', 'context.Request.Certificate.Subject.Contains("a", StringComparison.Ordinal)'],
    ['context.Request.Certificate.Subject.Split(",")[0] == "CN=a"', 'context.Request.Certificate.Subject.Split(",")'],
    ['(c => true) == null', '(c => true)'],
    ['context.Request.Certificate is not null', 'context.Request.Certificate is not null'],
    ['context.Variables.GetValueOrDefault<JObject>("body") == null', 'context.Variables.GetValueOrDefault<JObject>("body")'],
    ['(long)context.Request.Certificate.Subject.Length > 2', '(long)context.Request.Certificate.Subject.Length'],
    ['Regex.IsMatch(context.Request.Certificate.Subject, "^CN=")', 'Regex'],
  ])('%s', (source, unsupported) => {
    const expression = compilePolicyExpression(source);
    const error = captured(() => expression.evaluate(host()));
    if (!(error instanceof UnsupportedExpressionError)) throw new Error(`no UnsupportedExpressionError for ${source}: ${error}`);
    expect(error.unsupported).toBe(unsupported);
    expect(error.expression).toBe(source);
  });

  test.each([
    ['x++ == 1', '++ == 1'],
    ['typeof(string) == null', 'typeof(string) == null'],
    ['context.Request.Certificate is X509Certificate2 c', 'is X509Certificate2 c'],
  ])('syntax the parser cannot read is refused when compiled: %s', (source, unsupported) => {
    const error = captured(() => compilePolicyExpression(source));
    if (!(error instanceof UnsupportedExpressionError)) throw new Error(`no UnsupportedExpressionError for ${source}: ${error}`);
    expect(error.unsupported).toBe(unsupported);
  });

  test.each([
    ['"a" == true', /operator == cannot be applied to operands of type string and bool/],
    ['"a" != true', /operator != cannot be applied to operands of type string and bool/],
    ['DateTime.Now > "x"', /operator > cannot be applied to operands of type DateTime and string/],
    ['!"a"', /operator ! cannot be applied to an operand of type string/],
    ['context.Request.Certificate ==', /ends too early/],
    ['"unterminated', /no closing quote/],
    ['"\\q"', /invalid escape/],
    ["'ab' == 'a'", /exactly one UTF-16 character/],
    ['null.Thumbprint', /member access on the null literal/],
    ['context.Request.Certificate.Verify(true)', /takes 0 arguments/],
    ['true ? "a" : false', /no implicit conversion between string and bool/],
    ['(bool)"true"', /cannot convert type string to bool/],
    ['context.Request.Certificate.NotAfter ?? DateTime.Now', /operator \?\? cannot be applied/],
    ['context.Request.Certificate == null || true ||', /ends too early/],
  ])('%s does not compile in C# either, even where evaluation would not reach it', (source, message) => {
    expect(() => compilePolicyExpression(source)).toThrow(InvalidPolicyError);
    expect(() => compilePolicyExpression(source)).toThrow(message);
  });
});

function captured(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
