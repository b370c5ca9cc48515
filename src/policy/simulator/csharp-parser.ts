import { InvalidPolicyError, UnsupportedExpressionError } from './simulation-errors';

/*
 * Parser for the small part of C# that client-certificate policies use (see csharp-interpreter.ts
 * for what the parts mean). Anything else is an error that quotes the unsupported text.
 */

/** Where a node is in the expression text, for error messages. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

export type BinaryOperator = '||' | '&&' | '==' | '!=' | '>' | '<' | '>=' | '<=';

export type CSharpNode =
  | { readonly kind: 'null'; readonly span: SourceSpan }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly span: SourceSpan }
  | { readonly kind: 'string'; readonly value: string; readonly span: SourceSpan }
  | { readonly kind: 'identifier'; readonly name: string; readonly span: SourceSpan }
  | { readonly kind: 'member'; readonly target: CSharpNode; readonly name: string; readonly span: SourceSpan }
  | { readonly kind: 'call'; readonly target: CSharpNode; readonly name: string; readonly args: readonly CSharpNode[]; readonly span: SourceSpan }
  | { readonly kind: 'lambda'; readonly parameter: string; readonly body: CSharpNode; readonly span: SourceSpan }
  | { readonly kind: 'not'; readonly operand: CSharpNode; readonly span: SourceSpan }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: CSharpNode; readonly right: CSharpNode; readonly span: SourceSpan }
  | { readonly kind: 'string-array'; readonly items: readonly CSharpNode[]; readonly span: SourceSpan };

type TokenKind = 'identifier' | 'string' | 'punctuator' | 'unsupported' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** The decoded value of a string literal. */
  readonly value?: string;
  readonly start: number;
  readonly end: number;
}

// Longest first, so `==` is not read as `=`.
const PUNCTUATORS = ['||', '&&', '==', '!=', '>=', '<=', '=>', '!', '>', '<', '(', ')', '.', ',', '{', '}', '[', ']'];
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  "'": "'", '"': '"', '\\': '\\', '0': '\0', 'a': '\x07', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
};
const BINARY_LEVELS: ReadonlyArray<readonly BinaryOperator[]> = [['||'], ['&&'], ['==', '!='], ['>', '<', '>=', '<=']];

/** Parses the text of one `@(...)` expression (without `@(` and `)`). */
export function parseCSharpExpression(source: string): CSharpNode {
  return new Parser(source).parseAll();
}

/** The source text of a node. */
export function textOf(source: string, node: { readonly span: SourceSpan }): string {
  return source.slice(node.span.start, node.span.end);
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): CSharpNode {
    const node = this.parseExpression();
    if (this.peek().kind !== 'end') this.unsupported(this.peek(), 'unexpected text');
    return node;
  }

  private parseExpression(): CSharpNode {
    const token = this.peek();
    if (token.kind === 'identifier' && this.peek(1).text === '=>') {
      this.index += 2;
      const body = this.parseExpression();
      return { kind: 'lambda', parameter: token.text, body, span: { start: token.start, end: body.span.end } };
    }
    return this.parseBinary(0);
  }

  private parseBinary(level: number): CSharpNode {
    if (level === BINARY_LEVELS.length) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    while (this.peek().kind === 'punctuator' && (BINARY_LEVELS[level] as readonly string[]).includes(this.peek().text)) {
      const operator = this.next().text as BinaryOperator;
      const right = this.parseBinary(level + 1);
      left = { kind: 'binary', operator, left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  }

  private parseUnary(): CSharpNode {
    const token = this.peek();
    if (token.kind === 'punctuator' && token.text === '!') {
      this.index++;
      const operand = this.parseUnary();
      return { kind: 'not', operand, span: { start: token.start, end: operand.span.end } };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(primary: CSharpNode): CSharpNode {
    let node = primary;
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punctuator') return node;
      if (token.text === '.') {
        this.index++;
        const name = this.expectIdentifier();
        node = { kind: 'member', target: node, name: name.text, span: { start: node.span.start, end: name.end } };
      } else if (token.text === '(') {
        if (node.kind !== 'member') this.unsupported(token, 'only methods can be called');
        this.index++;
        const args = this.parseList(')');
        const end = this.expectPunctuator(')').end;
        node = { kind: 'call', target: node.target, name: node.name, args, span: { start: node.span.start, end } };
      } else if (token.text === '[') {
        this.unsupported(token, 'indexers are not supported');
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): CSharpNode {
    const token = this.next();
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value!, span };
      case 'identifier':
        if (token.text === 'null') return { kind: 'null', span };
        if (token.text === 'true' || token.text === 'false') return { kind: 'boolean', value: token.text === 'true', span };
        if (token.text === 'new') return this.parseStringArray(token);
        return { kind: 'identifier', name: token.text, span };
      case 'punctuator':
        if (token.text === '(') {
          const inner = this.parseExpression();
          const end = this.expectPunctuator(')').end;
          // Keep the parenthesized span so error messages quote what the author wrote.
          return { ...inner, span: { start: token.start, end } } as CSharpNode;
        }
        return this.unsupported(token, 'unexpected operator');
      case 'end':
        throw new InvalidPolicyError(`the expression @(${this.source}) ends too early; it would not compile`);
      default:
        return this.unsupported(token, 'unsupported syntax');
    }
  }

  /** `new string[] { "a", "b" }` or `new[] { "a", "b" }`. */
  private parseStringArray(newToken: Token): CSharpNode {
    if (this.peek().text === 'string') this.index++;
    else if (this.peek().text !== '[') this.unsupported(newToken, 'only string arrays can be created');
    this.expectPunctuator('[');
    this.expectPunctuator(']');
    this.expectPunctuator('{');
    const items = this.parseList('}');
    const end = this.expectPunctuator('}').end;
    return { kind: 'string-array', items, span: { start: newToken.start, end } };
  }

  /** Comma-separated expressions up to `closer` (not consumed); arrays allow a trailing comma. */
  private parseList(closer: ')' | '}'): CSharpNode[] {
    const items: CSharpNode[] = [];
    if (this.isPunctuator(closer)) return items;
    for (;;) {
      items.push(this.parseExpression());
      if (!this.isPunctuator(',')) return items;
      this.index++;
      if (this.isPunctuator(closer)) {
        if (closer === ')') throw new InvalidPolicyError(`a trailing comma in the arguments of @(${this.source}) would not compile`);
        return items;
      }
    }
  }

  private isPunctuator(text: string): boolean {
    return this.peek().kind === 'punctuator' && this.peek().text === text;
  }

  private expectIdentifier(): Token {
    const token = this.next();
    if (token.kind !== 'identifier') this.unexpected(token, 'a member name');
    return token;
  }

  private expectPunctuator(text: string): Token {
    const token = this.next();
    if (token.kind !== 'punctuator' || token.text !== text) this.unexpected(token, `"${text}"`);
    return token;
  }

  private unexpected(token: Token, expected: string): never {
    if (token.kind === 'end') {
      throw new InvalidPolicyError(`the expression @(${this.source}) ends where ${expected} is expected; it would not compile`);
    }
    return this.unsupported(token, `expected ${expected}`);
  }

  private unsupported(token: Token, detail: string): never {
    const rest = this.source.slice(token.start).trim();
    throw new UnsupportedExpressionError(rest.length > 40 ? rest.slice(0, 40) + '…' : rest, this.source, detail);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/[ \t\r\n]/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_]/.test(ch)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i])) i++;
      tokens.push({ kind: 'identifier', text: source.slice(start, i), start, end: i });
    } else if (ch === '"') {
      const { value, end } = readRegularString(source, i);
      tokens.push({ kind: 'string', text: source.slice(start, end), value, start, end });
      i = end;
    } else if (ch === '@' && source[i + 1] === '"') {
      const { value, end } = readVerbatimString(source, i);
      tokens.push({ kind: 'string', text: source.slice(start, end), value, start, end });
      i = end;
    } else {
      const punctuator = PUNCTUATORS.find((p) => source.startsWith(p, i));
      // `?.`, `??`, `?:`, `+`, numbers, char literals, interpolated strings, casts …: not in the subset.
      const kind: TokenKind = punctuator ? 'punctuator' : 'unsupported';
      const text = punctuator ?? ch;
      tokens.push({ kind, text, start, end: start + text.length });
      i += text.length;
    }
  }
  tokens.push({ kind: 'end', text: '', start: source.length, end: source.length });
  return tokens;
}

function readRegularString(source: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  const notCompiling = (why: string): never => {
    throw new InvalidPolicyError(`${why} in the string literal at ${source.slice(start, i + 1)} of @(${source}); it would not compile`);
  };
  for (;;) {
    const ch = source[i];
    if (ch === undefined || ch === '\n' || ch === '\r') return notCompiling('no closing quote');
    if (ch === '"') return { value, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const kind = source[i + 1];
    if (kind !== undefined && kind in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[kind];
      i += 2;
    } else if (kind === 'u' && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 2, i + 6))) {
      // One UTF-16 unit: a surrogate pair is written as two escapes and joins up here.
      value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (kind === 'U' && /^[0-9A-Fa-f]{8}$/.test(source.slice(i + 2, i + 10))) {
      const codePoint = parseInt(source.slice(i + 2, i + 10), 16);
      if (codePoint > 0x10ffff) notCompiling('an escape beyond U+10FFFF');
      value += String.fromCodePoint(codePoint);
      i += 10;
    } else if (kind === 'x' && /^[0-9A-Fa-f]/.test(source.slice(i + 2, i + 3))) {
      // \x takes one to four hex digits, greedily.
      const digits = /^[0-9A-Fa-f]{1,4}/.exec(source.slice(i + 2))![0];
      value += String.fromCharCode(parseInt(digits, 16));
      i += 2 + digits.length;
    } else {
      notCompiling(`an invalid escape "\\${kind ?? ''}"`);
    }
  }
}

function readVerbatimString(source: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 2; i < source.length; i++) {
    if (source[i] !== '"') {
      value += source[i];
    } else if (source[i + 1] === '"') {
      value += '"';
      i++;
    } else {
      return { value, end: i + 1 };
    }
  }
  throw new InvalidPolicyError(`no closing quote in the verbatim string literal of @(${source}); it would not compile`);
}
