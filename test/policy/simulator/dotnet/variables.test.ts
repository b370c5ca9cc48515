import { compilePolicyExpression, UnsupportedExpressionError } from '../../../../src/policy/simulator';
import { CharValue, CsValue, DateTimeValue } from '../../../../src/policy/simulator/csharp/values';
import { expressionHost } from '../fixtures';

const variables = new Map<string, CsValue>([
  ['isTrusted', true],
  ['thumbprint', 'AB12'],
  ['flagAsText', 'true'],
  ['count', 3],
  ['separator', new CharValue(44)],
  ['checkedAt', new DateTimeValue(0)],
  ['nothing', null],
]);
const run = (source: string) => compilePolicyExpression(source).evaluate(expressionHost({ variables }));

describe('context.Variables', () => {
  test.each([
    ['context.Variables.GetValueOrDefault<bool>("isTrusted")', true],
    ['context.Variables.GetValueOrDefault<bool>("missing")', false],
    ['context.Variables.GetValueOrDefault<bool>("missing", true)', true],
    ['context.Variables.GetValueOrDefault<string>("thumbprint", "")', 'AB12'],
    ['context.Variables.GetValueOrDefault<string>("missing")', null],
    ['context.Variables.GetValueOrDefault<int>("count")', 3],
    ['context.Variables.GetValueOrDefault<object>("count") != null', true],
    ['context.Variables.GetValueOrDefault<string>("nothing", "x")', null],
    ['context.Variables.ContainsKey("thumbprint")', true],
    ['context.Variables.ContainsKey("missing")', false],
    ['(string)context.Variables["thumbprint"]', 'AB12'],
    ['(bool)context.Variables["isTrusted"]', true],
    ['context.Variables["count"] as string', null],
  ])('%s is %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  test('reading a variable as another type throws, as APIM documents: a literal value is always a string', () => {
    expect(() => run('context.Variables.GetValueOrDefault<bool>("flagAsText")')).toThrow(/InvalidCastException: Unable to cast object of type 'System.String' to type 'System.Boolean'/);
    expect(() => run('context.Variables.GetValueOrDefault<bool>("nothing")')).toThrow(/NullReferenceException/);
  });

  test('a missing variable read by indexer throws KeyNotFoundException', () => {
    expect(() => run('(string)context.Variables["missing"]')).toThrow(/KeyNotFoundException/);
  });

  test('a name that matches only when case is ignored is not guessed', () => {
    expect(() => run('context.Variables.ContainsKey("ISTRUSTED")')).toThrow(UnsupportedExpressionError);
  });

  test('the error for an unsupported type argument points at the call that has it', () => {
    try {
      run('context.Request.Certificate != null && context.Variables.GetValueOrDefault<JObject>("body") != null');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedExpressionError);
      expect((error as UnsupportedExpressionError).unsupported).toBe('context.Variables.GetValueOrDefault<JObject>("body")');
    }
  });
});
