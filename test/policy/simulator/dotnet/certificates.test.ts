import { compilePolicyExpression, ExpressionHost, SimulatedCertificate, UnsupportedExpressionError } from '../../../../src/policy/simulator';
import { expressionHost, testPki } from '../fixtures';

/** A host where the request carries `header` in X-Client-Cert. */
function withHeader(header: string): ExpressionHost {
  return expressionHost({ requestCertificate: undefined, requestHeaders: new Map([['x-client-cert', [header]]]) });
}

const FROM_HEADER = 'new X509Certificate2(Convert.FromBase64String(context.Request.Headers.GetValueOrDefault("X-Client-Cert", "")))';
const run = (source: string, host: ExpressionHost) => compilePolicyExpression(source).evaluate(host);

describe('certificates made from bytes', () => {
  test('a base64 DER certificate from a header reads like a presented one', () => {
    const p = testPki();
    const base64 = p.trusted.x509.raw.toString('base64');
    const host = withHeader(base64);
    expect(run(`${FROM_HEADER}.Thumbprint`, host)).toBe(p.trusted.thumbprint);
    expect(run(`${FROM_HEADER}.Issuer`, host)).toBe(SimulatedCertificate.of(p.trusted.x509).issuer);
    expect(run(`${FROM_HEADER}.VerifyNoRevocation()`, host)).toBe(true);
    // .NET skips white space in base64, e.g. line breaks a gateway inserted.
    expect(run(`${FROM_HEADER}.Thumbprint`, withHeader(base64.replace(/(.{64})/g, '$1\r\n')))).toBe(p.trusted.thumbprint);
  });

  test.each([
    ['not base64 at all', 'not base64!', /FormatException/],
    ['a length that is not a multiple of four', 'QUJD', /CryptographicException/],
    ['valid base64 that is not a certificate', Buffer.from('hello world!').toString('base64'), /CryptographicException/],
    ['three padding characters', 'QQ===', /FormatException/],
  ])('%s raises the .NET exception', (_label, header, exception) => {
    expect(() => run(`${FROM_HEADER}.Thumbprint`, withHeader(header))).toThrow(exception);
  });

  test('an empty header gives an empty array, which X509Certificate2 refuses', () => {
    expect(() => run(`${FROM_HEADER}.Thumbprint`, withHeader(''))).toThrow(/ArgumentException/);
  });

  test('PEM text is not guessed at: .NET runtimes read it differently', () => {
    const p = testPki();
    const pem = Buffer.from(p.trusted.x509.toString()).toString('base64');
    expect(() => run(`${FROM_HEADER}.Thumbprint`, withHeader(pem))).toThrow(UnsupportedExpressionError);
  });

  test('Convert.FromBase64String(null) throws ArgumentNullException', () => {
    expect(() => run('Convert.FromBase64String(null) == null', expressionHost())).toThrow(/ArgumentNullException/);
  });
});
