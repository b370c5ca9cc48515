import { compilePolicyExpression, PolicySimulationError, PolicyExpressionException } from '../../../../src/policy/simulator';
import { compilePolicyStatements } from '../../../../src/policy/simulator/csharp-interpreter';
import { expressionHost, pick, seededRandom } from '../fixtures';

/*
 * Random token soups made of the pieces policies are made of. Whatever the text, the simulator
 * answers, raises a .NET exception (PolicyExpressionException) or refuses by name
 * (PolicySimulationError): never a JavaScript error from inside the interpreter.
 */

const PIECES = [
  'context', '.', 'Request', 'Certificate', 'Thumbprint', 'Issuer', 'Headers', 'Variables', 'Deployment', 'Certificates', '?.', '??', '?',
  ':', '(', ')', '[', ']', '{', '}', ',', ';', '"x"', "'c'", '1', '0', 'null', 'true', 'false', '==', '!=', '||', '&&', '!', '<', '>',
  '+', '-', '=>', 'c', 'Any', 'Contains', 'Split', 'GetValueOrDefault', '<bool>', '<string>', 'new', 'string', '[]', 'var', 'return',
  'if', 'else', 'foreach', 'in', '=', 'is', 'as', 'Value', 'Key', 'Length', 'ToUpper', 'Trim', 'StartsWith', 'X509Certificate2',
  'Convert', 'FromBase64String', 'HashSet<string>', 'StringComparison', 'OrdinalIgnoreCase', 'DateTime', 'Now', 'NotAfter', 'out',
  '//', '/*', '*/', '\n', '$"', '@"', '1.5', 'constructor', '__proto__', 'toString',
];

function soup(random: () => number): string {
  const count = 1 + Math.floor(random() * 14);
  return Array.from({ length: count }, () => pick(random, PIECES)).join(random() < 0.5 ? ' ' : '');
}

function expectNamedOutcome(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    if (error instanceof PolicySimulationError || error instanceof PolicyExpressionException) return;
    throw error;
  }
}

test.each([0x5eed1, 0x5eed2, 0x5eed3, 0x5eed4])('random expressions and blocks (seed %i) never end in a JavaScript error', (seed) => {
  const random = seededRandom(seed);
  const host = expressionHost({ requestHeaders: new Map([['x', ['a']]]), variables: new Map([['x', 'a']]) });
  for (let i = 0; i < 400; i++) {
    const text = soup(random);
    expectNamedOutcome(() => compilePolicyExpression(text).evaluate(host));
    expectNamedOutcome(() => compilePolicyStatements(`return ${text};`).evaluate(host));
    expectNamedOutcome(() => compilePolicyStatements(text).evaluate(host));
  }
});
