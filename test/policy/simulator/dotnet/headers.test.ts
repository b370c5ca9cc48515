import { compilePolicyExpression, UnsupportedExpressionError } from '../../../../src/policy/simulator';
import { compilePolicyStatements } from '../../../../src/policy/simulator/csharp-interpreter';
import { expressionHost } from '../fixtures';

const host = expressionHost({
  requestHeaders: new Map<string, readonly string[]>([
    ['x-client-cert-thumbprint', ['AB12']],
    ['x-forwarded-for', ['10.0.0.1', '10.0.0.2']],
  ]),
});
const run = (source: string) => compilePolicyExpression(source).evaluate(host);

describe('context.Request.Headers', () => {
  test.each([
    ['context.Request.Headers.GetValueOrDefault("X-Client-Cert-Thumbprint", "")', 'AB12'],
    ['context.Request.Headers.GetValueOrDefault("x-CLIENT-cert-thumbprint", "")', 'AB12'],
    ['context.Request.Headers.GetValueOrDefault("X-Missing", "none")', 'none'],
    ['context.Request.Headers.GetValueOrDefault("X-Missing", null)', null],
    ['context.Request.Headers.ContainsKey("X-Client-Cert-Thumbprint")', true],
    ['context.Request.Headers.ContainsKey("X-Missing")', false],
    ['context.Request.Headers["X-Forwarded-For"].Length', 2],
    ['context.Request.Headers["X-Forwarded-For"][0]', '10.0.0.1'],
    ['context.Request.Headers["x-client-cert-thumbprint"].Contains("AB12")', true],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  test('TryGetValue with out var, as the documentation\'s example writes it', () => {
    const block = `
      string[] value;
      if (context.Request.Headers.TryGetValue("X-Client-Cert-Thumbprint", out value)) {
        if (value != null && value.Length > 0) { return value[0]; }
      }
      return null;`;
    expect(compilePolicyStatements(block).evaluate(host)).toBe('AB12');
    expect(compilePolicyStatements('return context.Request.Headers.TryGetValue("X-None", out var v) ? v[0] : "none";').evaluate(host)).toBe('none');
  });

  test('a missing header read by indexer throws KeyNotFoundException', () => {
    expect(() => run('context.Request.Headers["X-Missing"][0]')).toThrow(/KeyNotFoundException/);
  });

  test('joining several values is not guessed: the separator APIM uses is not documented', () => {
    expect(() => run('context.Request.Headers.GetValueOrDefault("X-Forwarded-For", "")')).toThrow(UnsupportedExpressionError);
  });

  test('the one-argument GetValueOrDefault of newer .NET is not simulated', () => {
    expect(() => run('context.Request.Headers.GetValueOrDefault("X-Client-Cert-Thumbprint") == null')).toThrow(UnsupportedExpressionError);
  });
});
