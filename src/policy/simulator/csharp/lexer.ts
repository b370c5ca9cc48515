import { InvalidPolicyError } from '../simulation-errors';

/*
 * Splits the text of a policy expression into C# tokens. Comments and whitespace are dropped.
 * Literals the subset does not evaluate (interpolated strings, real or suffixed numbers) become
 * one `unsupported-literal` token each, so the parser can still see where they end and leave
 * the error to the moment evaluation reaches them.
 */

export type TokenKind = 'identifier' | 'string' | 'char' | 'int' | 'unsupported-literal' | 'punctuator' | 'unknown' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** The decoded value of a string or char literal, the digits of an int literal. */
  readonly value?: string;
  readonly start: number;
  readonly end: number;
}

// Longest first, so `==` is not read as `=`.
const PUNCTUATORS = [
  '&&', '||', '==', '!=', '>=', '<=', '=>', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '<<',
  '!', '>', '<', '(', ')', '.', ',', '{', '}', '[', ']', '?', ':', ';', '=', '+', '-', '*', '/', '%', '&', '|', '^', '~',
];

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "'": "'", '"': '"', '\\': '\\', '0': '\0', 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
};

/** C# line terminators: they end a `//` comment and may not appear in a regular literal. */
const LINE_END = /[\n\r\u0085\u2028\u2029]/;
const IDENTIFIER_START = /[A-Za-z_]/;
const IDENTIFIER_PART = /[A-Za-z0-9_]/;
const INT32_MAX = 2147483647;

/** `display` is how messages quote the whole expression, e.g. `@(…)` or `@{…}`. */
export function tokenize(source: string, display: string): Token[] {
  return new Lexer(source, display).tokens();
}

class Lexer {
  private i = 0;

  constructor(
    private readonly source: string,
    private readonly display: string,
  ) {}

  tokens(): Token[] {
    const tokens: Token[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.i >= this.source.length) break;
      tokens.push(this.token());
    }
    tokens.push({ kind: 'end', text: '', start: this.source.length, end: this.source.length });
    return tokens;
  }

  private skipTrivia(): void {
    const s = this.source;
    while (this.i < s.length) {
      if (/\s/.test(s[this.i])) this.i++;
      else if (s.startsWith('//', this.i)) {
        while (this.i < s.length && !LINE_END.test(s[this.i])) this.i++;
      } else if (s.startsWith('/*', this.i)) {
        const close = s.indexOf('*/', this.i + 2);
        if (close < 0) this.fail('a /* comment is not closed');
        this.i = close + 2;
      } else return;
    }
  }

  private token(): Token {
    const s = this.source;
    const start = this.i;
    const ch = s[start];
    if (IDENTIFIER_START.test(ch)) {
      while (this.i < s.length && IDENTIFIER_PART.test(s[this.i])) this.i++;
      return this.make('identifier', start);
    }
    if (ch === '"') return this.make('string', start, this.quoted('"', 'string'));
    if (ch === '@' && s[start + 1] === '"') return this.make('string', start, this.verbatimString());
    if (ch === "'") {
      const value = this.quoted("'", 'character');
      if (value.length !== 1) this.fail(`the character literal ${s.slice(start, this.i)} must hold exactly one UTF-16 character`);
      return this.make('char', start, value);
    }
    if (ch === '$' && (s[start + 1] === '"' || (s[start + 1] === '@' && s[start + 2] === '"'))) {
      this.interpolatedString();
      return this.make('unsupported-literal', start);
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[start + 1] ?? ''))) return this.number(start);
    const punctuator = PUNCTUATORS.find((p) => s.startsWith(p, start));
    if (punctuator) {
      this.i += punctuator.length;
      return this.make('punctuator', start);
    }
    this.i++;
    return this.make('unknown', start);
  }

  private make(kind: TokenKind, start: number, value?: string): Token {
    return { kind, text: this.source.slice(start, this.i), value, start, end: this.i };
  }

  /** A decimal int that fits Int32; anything else numeric (hex, real, suffixed, too big) is left unevaluated. */
  private number(start: number): Token {
    const match = /^(?:0[xXbB][0-9A-Fa-f_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9]+)?)[A-Za-z]*/.exec(this.source.slice(start))!;
    this.i = start + match[0].length;
    const text = match[0];
    if (/^[0-9]+$/.test(text) && Number(text) <= INT32_MAX) return this.make('int', start, text);
    return this.make('unsupported-literal', start);
  }

  /** The body of a `"…"` or `'…'` literal with every C# escape decoded. */
  private quoted(quote: string, what: string): string {
    const s = this.source;
    const start = this.i;
    let value = '';
    this.i++;
    const notCompiling = (why: string): never => this.fail(`${why} in the ${what} literal ${s.slice(start, this.i + 1)}`);
    for (;;) {
      const ch = s[this.i];
      if (ch === undefined || LINE_END.test(ch)) return notCompiling('no closing quote');
      if (ch === quote) {
        this.i++;
        return value;
      }
      if (ch !== '\\') {
        value += ch;
        this.i++;
        continue;
      }
      const kind = s[this.i + 1];
      if (kind !== undefined && kind in SIMPLE_ESCAPES) {
        value += SIMPLE_ESCAPES[kind];
        this.i += 2;
      } else if (kind === 'u' && /^[0-9A-Fa-f]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
        // One UTF-16 unit: a surrogate pair is written as two escapes and joins up here.
        value += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else if (kind === 'U' && /^[0-9A-Fa-f]{8}$/.test(s.slice(this.i + 2, this.i + 10))) {
        const codePoint = parseInt(s.slice(this.i + 2, this.i + 10), 16);
        if (codePoint > 0x10ffff) notCompiling('an escape beyond U+10FFFF');
        value += String.fromCodePoint(codePoint);
        this.i += 10;
      } else if (kind === 'x' && /^[0-9A-Fa-f]/.test(s.slice(this.i + 2, this.i + 3))) {
        // \x takes one to four hex digits, greedily.
        const digits = /^[0-9A-Fa-f]{1,4}/.exec(s.slice(this.i + 2))![0];
        value += String.fromCharCode(parseInt(digits, 16));
        this.i += 2 + digits.length;
      } else {
        notCompiling(`an invalid escape "\\${kind ?? ''}"`);
      }
    }
  }

  private verbatimString(): string {
    const s = this.source;
    let value = '';
    for (this.i += 2; this.i < s.length; this.i++) {
      if (s[this.i] !== '"') value += s[this.i];
      else if (s[this.i + 1] === '"') {
        value += '"';
        this.i++;
      } else {
        this.i++;
        return value;
      }
    }
    return this.fail('no closing quote in a verbatim string literal');
  }

  /** Skips `$"…{hole}…"` or `$@"…"`; holes may hold strings and braces of their own. */
  private interpolatedString(): void {
    const s = this.source;
    const verbatim = s[this.i + 1] === '@';
    this.i += verbatim ? 3 : 2;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === '"' && verbatim && s[this.i + 1] === '"') this.i += 2;
      else if (ch === '"') {
        this.i++;
        return;
      } else if (ch === '\\' && !verbatim) this.i += 2;
      else if (ch === '{' && s[this.i + 1] === '{') this.i += 2;
      else if (ch === '{') this.skipHole();
      else this.i++;
    }
    this.fail('no closing quote in an interpolated string');
  }

  private skipHole(): void {
    let depth = 0;
    while (this.i < this.source.length) {
      const ch = this.source[this.i];
      if (ch === '{') depth++;
      if (ch === '}' && --depth === 0) {
        this.i++;
        return;
      }
      if (ch === '"') this.quoted('"', 'string');
      else if (ch === "'") this.quoted("'", 'character');
      else this.i++;
    }
  }

  private fail(message: string): never {
    throw new InvalidPolicyError(`${message} of ${this.display}; it would not compile`);
  }
}
