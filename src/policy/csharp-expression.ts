import { Token } from 'cdktf';

/**
 * A C# policy expression, built only from the functions in this file so that every piece of
 * user text inside it is a properly escaped string literal.
 *
 * The text never contains `<`, `&` or `'`: the renderer writes expressions in single-quoted
 * attributes, and such text reads the same as XML and as azurerm's rawxml, which takes
 * expressions literally.
 */
export class CSharpExpression {
  /** @internal */
  constructor(public readonly code: string) {}

  toString(): string {
    return this.code;
  }
}

/** Characters that may stand for themselves inside a C# string literal we emit. */
const PLAIN_LITERAL_CHARACTER = /^[A-Za-z0-9 .,:;=+\-_/()*#!?|~^[\]]$/;

/**
 * A C# string literal for any text. Everything outside a small plain set becomes a `\uXXXX`
 * escape, so quotes, backslashes, `<`, `&`, `'`, `{{` (named values), `${` (Terraform
 * interpolation) and non-ASCII characters can neither end the literal nor the XML attribute.
 */
export function stringLiteral(text: string): CSharpExpression {
  let out = '"';
  for (const ch of text) {
    if (PLAIN_LITERAL_CHARACTER.test(ch)) {
      out += ch;
      continue;
    }
    const codePoint = ch.codePointAt(0)!;
    if (codePoint > 0xffff) {
      // C# \u takes one UTF-16 unit; surrogate pairs are written as two escapes.
      for (let i = 0; i < ch.length; i++) out += utf16Escape(ch.charCodeAt(i));
    } else {
      out += utf16Escape(codePoint);
    }
  }
  return new CSharpExpression(out + '"');
}

function utf16Escape(unit: number): string {
  return '\\u' + unit.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * A C# string literal around a Terraform token whose value (a thumbprint, a certificate id) is
 * known only at apply time. The caller guarantees that the resolved value is plain text.
 */
export function tokenStringLiteral(token: string): CSharpExpression {
  if (!Token.isUnresolved(token)) {
    throw new Error(`tokenStringLiteral expects a Terraform token, got "${token}"`);
  }
  return new CSharpExpression(`"${token}"`);
}

/** A fixed piece of C# written by this library (member access, calls, keywords). Never user text. */
export function code(fixedCode: string): CSharpExpression {
  return new CSharpExpression(fixedCode);
}

export function or(...terms: CSharpExpression[]): CSharpExpression {
  if (terms.length === 0) throw new Error('or() needs at least one term');
  if (terms.length === 1) return terms[0];
  return new CSharpExpression(terms.map((t) => t.code).join(' || '));
}

/** Negation. Wraps anything that is not a plain member chain or call in parentheses. */
export function not(term: CSharpExpression): CSharpExpression {
  return new CSharpExpression('!' + parenthesizeUnlessSimple(term.code));
}

export function equals(left: CSharpExpression, right: CSharpExpression): CSharpExpression {
  return new CSharpExpression(`${left.code} == ${right.code}`);
}

export function notEquals(left: CSharpExpression, right: CSharpExpression): CSharpExpression {
  return new CSharpExpression(`${left.code} != ${right.code}`);
}

/** `left > right`; there is deliberately no "less than": `<` is not XML-neutral. */
export function greaterThan(left: CSharpExpression, right: CSharpExpression): CSharpExpression {
  return new CSharpExpression(`${left.code} > ${right.code}`);
}

function parenthesizeUnlessSimple(text: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*(\([^()]*\))?$/.test(text) ? text : `(${text})`;
}
