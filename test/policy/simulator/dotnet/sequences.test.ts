import { compilePolicyExpression, InvalidPolicyError, SimulatedCertificate } from '../../../../src/policy/simulator';
import { expressionHost, testPki } from '../fixtures';

const run = (source: string, host = expressionHost()) => compilePolicyExpression(source).evaluate(host);

describe('arrays, lists, sets and LINQ', () => {
  test.each([
    ['new string[] { "a", "b" }.Any(t => t == "b")', true],
    ['new[] { "a", "b" }.All(t => t.Length == 1)', true],
    ['new string[] { }.Any()', false],
    ['new[] { "a", "b", "c" }.Count(t => t != "b")', 2],
    ['new[] { "a", "b" }.Length', 2],
    ['new[] { "a", "b" }[1]', 'b'],
    ['new[] { " a ", "b " }.Select(t => t.Trim()).Contains("a")', true],
    ['new[] { "a", "bb" }.Where(t => t.Length > 1).First()', 'bb'],
    ['new[] { "a" }.FirstOrDefault(t => t == "z")', null],
    ['new List<string> { "x", "y" }.Contains("y")', true],
    ['new List<string> { "x", "y" }.Count', 2],
    ['new HashSet<string> { "ab", "AB" }.Count', 2],
    ['new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ab", "AB" }.Count', 1],
    ['new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ab" }.Contains("AB")', true],
    ['new HashSet<string>(new[] { "a", "b" }).Contains("b")', true],
    ['new HashSet<string> { "ab" }.Contains("AB")', false],
    ['new[] { "ab" }.Contains("AB", StringComparer.OrdinalIgnoreCase)', true],
    ['"A1,B2 , C3".Split(\',\').Select(t => t.Trim()).ToArray()[1]', 'B2'],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  test('LINQ is lazy: Any stops at the first match, so a later element that would throw is never read', () => {
    expect(run('new[] { "CN=a", null }.Any(t => t.StartsWith("CN="))')).toBe(true);
    expect(() => run('new[] { null, "CN=a" }.Any(t => t.StartsWith("CN="))')).toThrow(/NullReferenceException/);
  });

  test('uploaded certificates can be searched with LINQ', () => {
    const p = testPki();
    const host = expressionHost();
    expect(run('context.Deployment.Certificates.Count(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)', host)).toBe(1);
    expect(run('context.Deployment.Certificates.Where(c => c.Key.StartsWith("part")).First().Value.Thumbprint', host)).toBe(p.trusted.thumbprint);
    expect(run('context.Deployment.Certificates.All(c => c.Value.NotAfter > DateTime.Now)', host)).toBe(true);
    expect(SimulatedCertificate.of(p.trusted.x509).thumbprint).toBe(p.trusted.thumbprint);
  });

  test('out-of-range indexes and empty sequences throw the .NET exceptions', () => {
    expect(() => run('new[] { "a" }[1]')).toThrow(/IndexOutOfRangeException/);
    expect(() => run('new List<string> { "a" }[2]')).toThrow(/ArgumentOutOfRangeException/);
    expect(() => run('new string[] { }.First()')).toThrow(/InvalidOperationException/);
  });

  test('a predicate that is not bool does not compile', () => {
    expect(() => compilePolicyExpression('new[] { "a" }.Any(t => t)')).toThrow(InvalidPolicyError);
    expect(() => compilePolicyExpression('new[] { "a", true }.Length')).toThrow(/no best type/);
  });
});
