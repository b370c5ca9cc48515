import { InvalidPolicyError, UnsupportedExpressionError } from '../../../../src/policy/simulator';
import { compilePolicyStatements } from '../../../../src/policy/simulator/csharp-interpreter';
import { expressionHost, testPki } from '../fixtures';

const run = (source: string, host = expressionHost()) => compilePolicyStatements(source).evaluate(host);
const noCertificate = () => expressionHost({ requestCertificate: undefined });

describe('statement blocks @{ … }', () => {
  test('var locals, if/else and return', () => {
    const block = `
      var cert = context.Request.Certificate;
      if (cert == null) {
        return false;
      }
      else if (cert.NotAfter < DateTime.Now) return false;
      string issuer = cert.Issuer;
      return issuer.Contains("Contoso Partner CA");`;
    expect(run(block)).toBe(true);
    expect(run(block, noCertificate())).toBe(false);
    expect(compilePolicyStatements(block).type).toBe('bool');
  });

  test('foreach over a list, returning from inside the loop', () => {
    const p = testPki();
    const block = `
      var allowed = "0000, ${p.trusted.thumbprint} ,1111".Split(',');
      foreach (var t in allowed) {
        if (t.Trim() == context.Request.Certificate.Thumbprint) { return true; }
      }
      return false;`;
    expect(run(block)).toBe(true);
    expect(run(block.replace(p.trusted.thumbprint, 'FFFF'))).toBe(false);
  });

  test('a local assigned later, and a local read before it is assigned', () => {
    expect(run('string name; if (context.Request.Certificate != null) { name = "x"; } else { name = "y"; } return name;')).toBe('x');
    expect(() => run('string name; if (context.Request.Certificate == null) { name = "x"; } return name;')).toThrow(/read before it is assigned/);
  });

  test('returns of string and null make a string block', () => {
    expect(compilePolicyStatements('if (context.Request.Certificate == null) return null; return "x";').type).toBe('string');
  });

  test('comments, apostrophes in them included', () => {
    expect(run(`// we don't trust anyone without a certificate\nreturn context.Request.Certificate != null; /* that's it */`)).toBe(true);
  });

  test.each([
    ['var x = 1;', /not all code paths return a value/],
    ['if (context.Request.Certificate == null) return false;', /not all code paths return a value/],
    ['if (true) return 1;', undefined],
    ['return true; return false;', undefined],
    ['if (context.Request.Certificate == null) return "a"; return false;', /returns both string and bool/],
    ['var x = null; return true;', /implicitly-typed/],
    ['var x = 1; var x = 2; return x;', /already defined/],
    ['string s = 1; return s;', /cannot convert int to string/],
    ['if (true) var x = 1; return true;', /embedded statement cannot be a declaration/],
    ['return;', /must return a value/],
    ['foreach (var c in context.Request.Certificate) { } return true;', /foreach cannot enumerate/],
    ['foreach (var t in new[] { "a" }) { t = "b"; } return true;', /read-only/],
    ['if ("x") return true; return false;', /expected bool, found string/],
    ['{ return true;', /not closed/],
  ])('%s: does it compile?', (block, error) => {
    if (error === undefined) expect(() => compilePolicyStatements(block)).not.toThrow();
    else {
      expect(() => compilePolicyStatements(block)).toThrow(InvalidPolicyError);
      expect(() => compilePolicyStatements(block)).toThrow(error);
    }
  });

  test.each([
    ['while (true) { } return true;', 'while'],
    ['try { return true; } catch { return false; }', 'try'],
    ['throw new Exception("no");', 'throw'],
  ])('%s: a statement outside the subset is refused by name', (block, keyword) => {
    try {
      compilePolicyStatements(block);
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedExpressionError);
      expect((error as UnsupportedExpressionError).unsupported.startsWith(keyword)).toBe(true);
    }
  });

  test('an unsupported expression in a branch not taken does not stop the block', () => {
    const block = 'if (context.Request.Certificate == null) { return context.Request.IpAddress == "1.2.3.4"; } return true;';
    expect(run(block)).toBe(true);
    expect(() => run(block, noCertificate())).toThrow(UnsupportedExpressionError);
  });
});
