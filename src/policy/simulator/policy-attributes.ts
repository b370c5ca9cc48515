import { PolicyCode } from './csharp-interpreter';
import { expressionEnd, PolicyXmlElement } from './policy-xml-reader';
import { InvalidPolicyError, UnsupportedExpressionError } from './simulation-errors';

/* How APIM reads an attribute value: a whole policy expression, or literal text. */

/** The policy expression an attribute value consists of (`@(…)` or `@{…}`), or undefined for literal text. */
export function policyCodeOf(value: string, element: PolicyXmlElement, attribute: string): PolicyCode | undefined {
  if (!value.startsWith('@(') && !value.startsWith('@{')) return undefined;
  if (expressionEnd(value, 0) !== value.length) {
    throw new InvalidPolicyError(`${element.path}: ${attribute} must be exactly one expression @(...) or @{...}, got ${JSON.stringify(value)}`);
  }
  return { multiStatement: value[1] === '{', source: value.slice(2, -1) };
}

/**
 * A boolean attribute written as text. `true` and `false` are what every .NET parser accepts;
 * other spellings (`True`, ` true`, `1`) depend on which parser APIM uses, so they are not guessed.
 */
export function policyBoolean(value: string, element: PolicyXmlElement, attribute: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  if (['true', 'false', '1', '0'].includes(value.trim().toLowerCase())) {
    throw new UnsupportedExpressionError(value, value, `${attribute} of ${element.path}: only "true" and "false" are simulated`);
  }
  throw new InvalidPolicyError(`${attribute}="${value}" on ${element.path} is not true or false`);
}
