/*
 * What Terraform does with a string from cdk.tf.json at plan time, for exactly the forms this
 * library writes around apply-time values: `${regex("<pattern>", upper(var.x))}` and
 * `${regex("<pattern>", var.x)}`. Any other interpolation, function or directive is refused,
 * so a test that evaluates a whole policy also proves that nothing else is interpolated into it.
 *
 * Semantics follow Terraform's documentation: `regex` fails the plan when the pattern does not
 * match, returns the match when the pattern has no capture groups and the list of captures
 * when it has unnamed ones (which a string template cannot hold: the plan fails). `upper` is
 * approximated by JavaScript's upper-casing; the guards accept only ASCII hex digits after it,
 * so the approximation cannot turn a refused value into an accepted one.
 */

/** The plan failed while Terraform evaluated the value. */
export class TerraformPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformPlanError';
  }
}

/** An interpolation this evaluator does not implement: the test itself is wrong. */
export class UnsupportedTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedTemplateError';
  }
}

type Value = string | readonly string[];

/** Evaluates the template `text` with `variables` (`var.<name>`), as `terraform plan` would. */
export function evaluateTemplate(text: string, variables: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      out += text[i] + '{';
      i += 3;
    } else if (text.startsWith('%{', i)) {
      throw new UnsupportedTemplateError(`template directive at ${i}: ${text.slice(i, i + 40)}`);
    } else if (text.startsWith('${', i)) {
      const parser = new ExpressionParser(text, i + 2, variables);
      const value = parser.expression();
      i = parser.expect('}');
      if (typeof value !== 'string') {
        throw new TerraformPlanError('Invalid template interpolation value: Cannot include the given value in a string template: string required.');
      }
      out += value;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

class ExpressionParser {
  constructor(
    private readonly text: string,
    private position: number,
    private readonly variables: Readonly<Record<string, string>>,
  ) {}

  expression(): Value {
    this.skipSpaces();
    if (this.text[this.position] === '"') return this.stringLiteral();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position))?.[0];
    if (!name) throw new UnsupportedTemplateError(`expression at ${this.position}: ${this.text.slice(this.position, this.position + 40)}`);
    this.position += name.length;
    if (name === 'var' && this.text[this.position] === '.') {
      this.position += 1;
      const variable = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.position))?.[0] ?? '';
      this.position += variable.length;
      const value = this.variables[variable];
      if (value === undefined) throw new UnsupportedTemplateError(`no value for var.${variable}`);
      return value;
    }
    this.position = this.expect('(');
    const args: Value[] = [this.expression()];
    while (this.peek() === ',') {
      this.position += 1;
      args.push(this.expression());
    }
    this.position = this.expect(')');
    return callFunction(name, args);
  }

  /** Expects `character` after optional spaces; returns the position after it. */
  expect(character: string): number {
    this.skipSpaces();
    if (this.text[this.position] !== character) {
      throw new UnsupportedTemplateError(`expected "${character}" at ${this.position}: ${this.text.slice(this.position, this.position + 40)}`);
    }
    return this.position + 1;
  }

  private peek(): string | undefined {
    this.skipSpaces();
    return this.text[this.position];
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position += 1;
  }

  private stringLiteral(): string {
    let value = '';
    this.position += 1;
    for (;;) {
      const character = this.text[this.position];
      if (character === undefined) throw new UnsupportedTemplateError('unterminated string literal');
      if (character === '"') break;
      if (character === '\\' || this.text.startsWith('${', this.position) || this.text.startsWith('%{', this.position)) {
        throw new UnsupportedTemplateError(`escape or template inside a string literal at ${this.position}`);
      }
      value += character;
      this.position += 1;
    }
    this.position += 1;
    return value;
  }
}

function callFunction(name: string, args: readonly Value[]): Value {
  const strings = args.map((arg) => {
    if (typeof arg !== 'string') throw new TerraformPlanError(`Invalid function argument to ${name}: string required.`);
    return arg;
  });
  if (name === 'upper' && strings.length === 1) return strings[0].toUpperCase();
  if (name === 'regex' && strings.length === 2) return regex(strings[0], strings[1]);
  throw new UnsupportedTemplateError(`function ${name}/${args.length}`);
}

function regex(pattern: string, value: string): Value {
  if (/\(\?P?</.test(pattern)) throw new UnsupportedTemplateError('named capture groups');
  const match = new RegExp(pattern).exec(value);
  if (!match) throw new TerraformPlanError(`Error in function call: Call to function "regex" failed: pattern did not match any part of the given string.`);
  return match.length > 1 ? match.slice(1).map((capture) => capture ?? '') : match[0];
}
