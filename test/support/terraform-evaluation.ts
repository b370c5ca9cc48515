/*
 * What Terraform does with a string from cdk.tf.json at plan time, for exactly the forms this
 * library writes around apply-time values: `${regex("<pattern>", upper(var.x))}` and
 * `${regex("<pattern>", var.x)}`, with references to variables, locals and data sources, `lower()`,
 * quoted templates (`"AB${var.x}"`) and object literals (which no string function accepts)
 * inside. Any other interpolation, function or directive is refused, so a test that evaluates a
 * whole policy also proves that nothing else is interpolated into it.
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

/** An object literal (`{ "k" = v }`): a value no string function or template accepts. */
interface ObjectValue {
  readonly object: Readonly<Record<string, Value>>;
}

type Value = string | readonly string[] | ObjectValue;

/**
 * Evaluates the template `text` with `variables`, as `terraform plan` would. A key without a dot
 * is a variable (`var.<name>`); other references (`local.x`, `data.<type>.<name>.<attribute>`)
 * are looked up by their full text.
 */
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
    if (this.text[this.position] === '{') return this.objectLiteral();
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position))?.[0];
    if (!name) throw new UnsupportedTemplateError(`expression at ${this.position}: ${this.text.slice(this.position, this.position + 40)}`);
    this.position += name.length;
    if (this.text[this.position] === '.') {
      const attributes = /^(?:\.[A-Za-z_][A-Za-z0-9_-]*)+/.exec(this.text.slice(this.position))?.[0] ?? '';
      this.position += attributes.length;
      const reference = `${name}${attributes}`;
      const value = name === 'var' ? this.variables[attributes.slice(1)] : this.variables[reference];
      if (value === undefined) throw new UnsupportedTemplateError(`no value for ${reference}`);
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

  private objectLiteral(): ObjectValue {
    const object: Record<string, Value> = {};
    this.position += 1;
    while (this.peek() !== '}') {
      if (this.peek() !== '"') throw new UnsupportedTemplateError(`object key at ${this.position}`);
      const key = this.stringLiteral();
      this.position = this.expect('=');
      object[key] = this.expression();
      if (this.peek() === ',') this.position += 1;
    }
    this.position = this.expect('}');
    return { object };
  }

  /** A quoted template: escapes, `$${`/`%%{`, and `${…}` interpolations of strings. */
  private stringLiteral(): string {
    let value = '';
    this.position += 1;
    for (;;) {
      const character = this.text[this.position];
      if (character === undefined) throw new UnsupportedTemplateError('unterminated string literal');
      if (character === '"') break;
      if (character === '\\') {
        const escaped = STRING_ESCAPES[this.text[this.position + 1]];
        if (escaped === undefined) throw new UnsupportedTemplateError(`escape at ${this.position}`);
        value += escaped;
        this.position += 2;
      } else if (this.text.startsWith('$${', this.position) || this.text.startsWith('%%{', this.position)) {
        value += `${character}{`;
        this.position += 3;
      } else if (this.text.startsWith('%{', this.position)) {
        throw new UnsupportedTemplateError(`template directive inside a string literal at ${this.position}`);
      } else if (this.text.startsWith('${', this.position)) {
        this.position += 2;
        const interpolated = this.expression();
        this.position = this.expect('}');
        if (typeof interpolated !== 'string') throw new TerraformPlanError('Invalid template interpolation value: string required.');
        value += interpolated;
      } else {
        value += character;
        this.position += 1;
      }
    }
    this.position += 1;
    return value;
  }
}

const STRING_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', '"': '"', n: '\n', r: '\r', t: '\t' };

function callFunction(name: string, args: readonly Value[]): Value {
  const strings = args.map((arg) => {
    if (typeof arg !== 'string') throw new TerraformPlanError(`Invalid function argument to ${name}: string required.`);
    return arg;
  });
  if (name === 'upper' && strings.length === 1) return strings[0].toUpperCase();
  if (name === 'lower' && strings.length === 1) return strings[0].toLowerCase();
  if (name === 'regex' && strings.length === 2) return regex(strings[0], strings[1]);
  throw new UnsupportedTemplateError(`function ${name}/${args.length}`);
}

function regex(pattern: string, value: string): Value {
  if (/\(\?P?</.test(pattern)) throw new UnsupportedTemplateError('named capture groups');
  const match = new RegExp(pattern).exec(value);
  if (!match) throw new TerraformPlanError(`Error in function call: Call to function "regex" failed: pattern did not match any part of the given string.`);
  return match.length > 1 ? match.slice(1).map((capture) => capture ?? '') : match[0];
}
