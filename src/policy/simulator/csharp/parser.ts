import { InvalidPolicyError, UnsupportedExpressionError } from '../simulation-errors';
import { Token, tokenize } from './lexer';
import { Argument, BinaryOperator, Expression, SourceSpan, Statement, TypeSyntax } from './syntax';

/*
 * Parser for the part of C# that policies use: every expression form of C# 7 that a policy
 * condition or value is made of, and statement blocks with locals, if/else, foreach and return.
 * What it reads here is checked and evaluated by the compiler; what it cannot read at all
 * (switch, loops other than foreach, patterns other than `is null`, …) is an
 * UnsupportedExpressionError quoting the text, because without it the simulator cannot tell
 * where the rest of the expression is.
 */

/** Parses the text of one `@(...)` expression (without `@(` and `)`). */
export function parseExpression(source: string): Expression {
  const parser = new Parser(source, `@(${source})`);
  const expression = parser.expression();
  parser.expectEnd();
  return expression;
}

/** Parses the text of one `@{...}` statement block (without `@{` and `}`). */
export function parseStatementBlock(source: string): Statement {
  const parser = new Parser(source, `@{${source}}`);
  const statements: Statement[] = [];
  while (!parser.atEnd()) statements.push(parser.statement());
  return { kind: 'block', statements, span: { start: 0, end: source.length } };
}

// Lowest precedence first; `is` and `as` are read at the relational level.
const BINARY_LEVELS: ReadonlyArray<readonly BinaryOperator[]> = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];
const RELATIONAL_LEVEL = 6;

/** Type keywords: a parenthesized one is always a cast. */
const PREDEFINED_TYPES = new Set(['string', 'bool', 'int', 'char', 'object', 'byte', 'long', 'short', 'double', 'float', 'decimal', 'uint', 'ulong', 'ushort', 'sbyte']);
/** Words that continue an expression in C# versions or forms the subset does not read (`x switch { … }`). */
const CONTEXTUAL_OPERATORS = new Set(['switch', 'with', 'is', 'as', 'and', 'or', 'not', 'when']);
/** Statements outside the subset; the rest of the block cannot be read without them. */
const UNSUPPORTED_STATEMENTS = new Set(['while', 'for', 'do', 'switch', 'try', 'throw', 'using', 'lock', 'goto', 'break', 'continue', 'yield', 'const', 'checked', 'unchecked', 'fixed', 'unsafe']);

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly display: string,
  ) {
    this.tokens = tokenize(source, display);
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  /**
   * After a whole expression: a literal, a plain name or a closing bracket cannot follow one in
   * any C# (the text would not compile); anything else may be C# the subset does not read.
   */
  expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    const neverFollows =
      ['string', 'char', 'int', 'unsupported-literal'].includes(token.kind) ||
      (token.kind === 'identifier' && !CONTEXTUAL_OPERATORS.has(token.text)) ||
      (token.kind === 'punctuator' && [',', ';', ')', ']', '}'].includes(token.text));
    if (neverFollows) this.notCompiling(this.spanOf(token), 'unexpected text after the expression');
    this.unsupported(token, 'unexpected text');
  }

  // ---- statements ----

  statement(): Statement {
    const token = this.peek();
    if (this.isPunctuator('{')) return this.block();
    if (this.isPunctuator(';')) {
      this.index++;
      return { kind: 'empty', span: this.spanFrom(token) };
    }
    if (token.kind === 'identifier') {
      if (UNSUPPORTED_STATEMENTS.has(token.text)) this.unsupported(token, `the ${token.text} statement is not supported`);
      if (token.text === 'if') return this.ifStatement();
      if (token.text === 'return') return this.returnStatement();
      if (token.text === 'foreach') return this.foreachStatement();
      const declaration = this.tryDeclaration();
      if (declaration) return declaration;
      if (this.peek(1).text === '=' && this.peek(1).kind === 'punctuator') {
        this.index += 2;
        const value = this.expression();
        this.expectPunctuator(';');
        return { kind: 'assignment', name: token.text, nameSpan: this.spanOf(token), value, span: this.spanFrom(token) };
      }
    }
    const expression = this.expression();
    if (expression.kind !== 'call') {
      if (this.isPunctuator(';') || this.atEnd()) this.notCompiling(expression.span, 'only a method call can be used as a statement');
      this.unsupported(this.peek(), 'unexpected text in a statement');
    }
    this.expectPunctuator(';');
    return { kind: 'expression', expression, span: this.spanFrom(token) };
  }

  private block(): Statement {
    const open = this.expectPunctuator('{');
    const statements: Statement[] = [];
    while (!this.isPunctuator('}')) {
      if (this.atEnd()) this.notCompiling({ start: open.start, end: this.source.length }, 'a { block is not closed');
      statements.push(this.statement());
    }
    this.index++;
    return { kind: 'block', statements, span: this.spanFrom(open) };
  }

  private ifStatement(): Statement {
    const start = this.next();
    this.expectPunctuator('(');
    const test = this.expression();
    this.expectPunctuator(')');
    const then = this.statement();
    let otherwise: Statement | undefined;
    if (this.peek().kind === 'identifier' && this.peek().text === 'else') {
      this.index++;
      otherwise = this.statement();
    }
    return { kind: 'if', test, then, otherwise, span: this.spanFrom(start) };
  }

  private returnStatement(): Statement {
    const start = this.next();
    if (this.isPunctuator(';')) this.notCompiling(this.spanFrom(start), 'a policy expression must return a value');
    const value = this.expression();
    this.expectPunctuator(';');
    return { kind: 'return', value, span: this.spanFrom(start) };
  }

  private foreachStatement(): Statement {
    const start = this.next();
    this.expectPunctuator('(');
    const declaredType = this.peek().text === 'var' ? (this.next(), 'var' as const) : this.type();
    const name = this.expectIdentifier('the loop variable');
    const keyword = this.next();
    if (keyword.text !== 'in') this.unexpected(keyword, '"in"');
    const collection = this.expression();
    this.expectPunctuator(')');
    const body = this.statement();
    return { kind: 'foreach', declaredType, name: name.text, nameSpan: this.spanOf(name), collection, body, span: this.spanFrom(start) };
  }

  /** `var x = …;`, `T x = …;` or `T x;`, if the tokens ahead are one. */
  private tryDeclaration(): Statement | undefined {
    const start = this.peek();
    const saved = this.index;
    let declaredType: TypeSyntax | 'var' | undefined;
    if (start.text === 'var' && this.peek(1).kind === 'identifier') {
      this.index++;
      declaredType = 'var';
    } else {
      declaredType = this.tryType();
    }
    if (!declaredType || this.peek().kind !== 'identifier' || !(this.isPunctuator('=', 1) || this.isPunctuator(';', 1) || this.isPunctuator(',', 1))) {
      this.index = saved;
      return undefined;
    }
    const name = this.next();
    if (this.isPunctuator(',')) this.unsupported(this.peek(), 'declare one local per statement');
    let init: Expression | undefined;
    if (this.isPunctuator('=')) {
      this.index++;
      init = this.expression();
    } else if (declaredType === 'var') {
      this.notCompiling(this.spanFrom(start), 'a var local needs an initializer');
    }
    this.expectPunctuator(';');
    return { kind: 'declaration', declaredType, name: name.text, nameSpan: this.spanOf(name), init, span: this.spanFrom(start) };
  }

  // ---- expressions ----

  expression(): Expression {
    const token = this.peek();
    if (token.kind === 'identifier' && this.isPunctuator('=>', 1)) {
      this.index += 2;
      return this.lambda(token, token.text);
    }
    if (this.isPunctuator('(') && this.peek(1).kind === 'identifier' && this.isPunctuator(')', 2) && this.isPunctuator('=>', 3)) {
      const parameter = this.peek(1).text;
      this.index += 4;
      return this.lambda(token, parameter);
    }
    return this.conditional();
  }

  private lambda(start: Token, parameter: string): Expression {
    if (this.isPunctuator('{')) this.unsupported(this.peek(), 'a lambda with a statement body is not supported');
    const body = this.expression();
    return { kind: 'lambda', parameter, body, span: { start: start.start, end: body.span.end } };
  }

  private conditional(): Expression {
    const test = this.nullCoalescing();
    if (!this.isPunctuator('?')) return test;
    this.index++;
    const whenTrue = this.expression();
    this.expectPunctuator(':');
    const whenFalse = this.expression();
    return { kind: 'conditional', test, whenTrue, whenFalse, span: { start: test.span.start, end: whenFalse.span.end } };
  }

  private nullCoalescing(): Expression {
    const left = this.binary(0);
    if (!this.isPunctuator('??')) return left;
    const operator = this.next();
    const right = this.nullCoalescing();
    return { kind: 'binary', operator: '??', left, right, operatorSpan: this.spanOf(operator), span: { start: left.span.start, end: right.span.end } };
  }

  private binary(level: number): Expression {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (level === RELATIONAL_LEVEL && token.kind === 'identifier' && (token.text === 'is' || token.text === 'as')) {
        left = token.text === 'is' ? this.isNull(left) : this.asType(left);
        continue;
      }
      if (token.kind !== 'punctuator' || !(BINARY_LEVELS[level] as readonly string[]).includes(token.text)) return left;
      this.index++;
      const right = this.binary(level + 1);
      left = {
        kind: 'binary',
        operator: token.text as BinaryOperator,
        left,
        right,
        operatorSpan: this.spanOf(token),
        span: { start: left.span.start, end: right.span.end },
      };
    }
  }

  private isNull(operand: Expression): Expression {
    const keyword = this.next();
    const negated = this.peek().text === 'not';
    if (negated) this.index++;
    const pattern = this.peek();
    if (pattern.text !== 'null') this.unsupported(keyword, 'only the "is null" pattern is supported');
    this.index++;
    return { kind: 'is-null', operand, negated, span: { start: operand.span.start, end: pattern.end } };
  }

  private asType(operand: Expression): Expression {
    this.index++;
    const type = this.type();
    return { kind: 'as', operand, type, span: { start: operand.span.start, end: type.span.end } };
  }

  private unary(): Expression {
    const token = this.peek();
    if (token.kind === 'punctuator' && (token.text === '!' || token.text === '-' || token.text === '+' || token.text === '~')) {
      this.index++;
      const operand = this.unary();
      return { kind: 'unary', operator: token.text, operand, span: { start: token.start, end: operand.span.end } };
    }
    if (token.kind === 'punctuator' && (token.text === '++' || token.text === '--')) this.unsupported(token, 'increment and decrement are not supported');
    const cast = this.tryCast();
    if (cast) return cast;
    return this.postfix(this.primary());
  }

  /** `(T)x`, read the way the C# grammar tells a cast from a parenthesized expression. */
  private tryCast(): Expression | undefined {
    if (!this.isPunctuator('(')) return undefined;
    const open = this.peek();
    const saved = this.index;
    this.index++;
    const type = this.tryType();
    if (!type || !this.isPunctuator(')')) {
      this.index = saved;
      return undefined;
    }
    const after = this.peek(1);
    const operandFollows =
      (['identifier', 'string', 'char', 'int', 'unsupported-literal'].includes(after.kind) && after.text !== 'is' && after.text !== 'as') ||
      (after.kind === 'punctuator' && ['(', '!', '~'].includes(after.text));
    const signFollows = after.kind === 'punctuator' && (after.text === '-' || after.text === '+');
    const predefined = type.typeArguments.length === 0 && PREDEFINED_TYPES.has(type.name);
    if (!operandFollows && !(predefined && signFollows)) {
      this.index = saved;
      return undefined;
    }
    this.index++; // ')'
    const operand = this.unary();
    return { kind: 'cast', type, operand, span: { start: open.start, end: operand.span.end } };
  }

  private postfix(primary: Expression): Expression {
    let node = primary;
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'punctuator') return node;
      if (token.text === '.' || token.text === '?.') {
        this.index++;
        const name = this.expectIdentifier('a member name');
        node = { kind: 'member', target: node, name: name.text, conditional: token.text === '?.', span: { start: node.span.start, end: name.end } };
        node = this.tryGenericCall(node) ?? node;
      } else if (token.text === '(') {
        node = this.call(node, []);
      } else if (token.text === '[' || (token.text === '?' && this.isPunctuator('[', 1) && this.peek(1).start === token.end)) {
        const conditional = token.text === '?';
        this.index += conditional ? 2 : 1;
        const args = this.list(']');
        const end = this.expectPunctuator(']').end;
        node = { kind: 'index', target: node, args, conditional, span: { start: node.span.start, end } };
      } else if (token.text === '++' || token.text === '--') {
        this.unsupported(token, 'increment and decrement are not supported');
      } else {
        return node;
      }
    }
  }

  /** `Name<T>(…)`: a generic method call, told apart from `Name < x` by what follows the `>`. */
  private tryGenericCall(callee: Expression): Expression | undefined {
    if (!this.isPunctuator('<')) return undefined;
    const saved = this.index;
    this.index++;
    const typeArguments: TypeSyntax[] = [];
    for (;;) {
      const type = this.tryType();
      if (!type) break;
      typeArguments.push(type);
      if (!this.isPunctuator(',')) break;
      this.index++;
    }
    if (typeArguments.length === 0 || !this.isPunctuator('>') || !this.isPunctuator('(', 1)) {
      this.index = saved;
      return undefined;
    }
    this.index++;
    return this.call(callee, typeArguments);
  }

  private call(callee: Expression, typeArguments: TypeSyntax[]): Expression {
    if (callee.kind !== 'member' && callee.kind !== 'identifier') this.unsupported(this.peek(), 'only methods can be called');
    this.expectPunctuator('(');
    const args: Argument[] = [];
    if (!this.isPunctuator(')')) {
      for (;;) {
        args.push(this.argument());
        if (!this.isPunctuator(',')) break;
        this.index++;
        if (this.isPunctuator(')')) this.notCompiling(this.spanOf(this.peek()), 'a trailing comma in an argument list');
      }
    }
    const end = this.expectPunctuator(')').end;
    return { kind: 'call', callee, typeArguments, args, span: { start: callee.span.start, end } };
  }

  private argument(): Argument {
    const token = this.peek();
    if (token.kind === 'identifier' && this.isPunctuator(':', 1)) this.unsupported(token, 'named arguments are not supported');
    if (token.kind === 'identifier' && (token.text === 'ref' || token.text === 'in')) this.unsupported(token, `${token.text} arguments are not supported`);
    if (token.kind !== 'identifier' || token.text !== 'out') return { value: this.expression() };
    this.index++;
    let declaredType: TypeSyntax | 'var' | undefined;
    if (this.peek().text === 'var') {
      this.index++;
      declaredType = 'var';
    } else if (this.peek(1).kind === 'identifier' || this.isPunctuator('[', 1) || this.isPunctuator('<', 1)) {
      declaredType = this.type();
    }
    const name = this.expectIdentifier('a local for the out argument');
    const value: Expression = { kind: 'identifier', name: name.text, span: this.spanOf(name) };
    return { value, out: { declaredType, name: name.text } };
  }

  private primary(): Expression {
    const token = this.next();
    const span = this.spanOf(token);
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value!, span };
      case 'char':
        return { kind: 'char', value: token.value!, span };
      case 'int':
        return { kind: 'int', value: Number(token.value), span };
      case 'unsupported-literal':
        return { kind: 'unsupported-literal', span };
      case 'identifier':
        if (token.text === 'null') return { kind: 'null', span };
        if (token.text === 'true' || token.text === 'false') return { kind: 'boolean', value: token.text === 'true', span };
        if (token.text === 'new') return this.newExpression(token);
        if (['typeof', 'default', 'sizeof', 'nameof', 'checked', 'unchecked', 'await', 'stackalloc', 'delegate'].includes(token.text)) {
          return this.unsupported(token, `${token.text} is not supported`);
        }
        return this.tryGenericCall({ kind: 'identifier', name: token.text, span }) ?? { kind: 'identifier', name: token.text, span };
      case 'punctuator':
        if (token.text === '(') {
          const inner = this.expression();
          const end = this.expectPunctuator(')').end;
          // Keep the parenthesized span so error messages quote what the author wrote.
          return { ...inner, span: { start: token.start, end } } as Expression;
        }
        return this.unsupported(token, 'unexpected operator');
      case 'end':
        throw new InvalidPolicyError(`the expression ${this.display} ends too early; it would not compile`);
      default:
        return this.unsupported(token, 'unsupported syntax');
    }
  }

  /** `new[] { … }`, `new T[] { … }`, `new T(…)`, `new T(…) { … }`, `new T { … }`. */
  private newExpression(keyword: Token): Expression {
    if (this.isPunctuator('[')) {
      this.index++;
      this.expectPunctuator(']');
      return this.arrayInitializer(keyword, undefined);
    }
    const type = this.type();
    if (type.arrayRank > 0) {
      if (type.arrayRank > 1) this.unsupported(keyword, 'arrays of arrays are not supported');
      return this.arrayInitializer(keyword, { ...type, arrayRank: 0 });
    }
    if (this.isPunctuator('[')) this.unsupported(this.peek(), 'only arrays with an initializer { … } are supported');
    let args: Expression[] = [];
    if (this.isPunctuator('(')) {
      this.index++;
      args = this.list(')');
      this.expectPunctuator(')');
    } else if (!this.isPunctuator('{')) {
      this.unexpected(this.peek(), '"(" or "{"');
    }
    let initializer: Expression[] | undefined;
    if (this.isPunctuator('{')) {
      this.index++;
      initializer = this.list('}', true);
      this.expectPunctuator('}');
    }
    return { kind: 'new-object', type, args, initializer, span: this.spanFrom(keyword) };
  }

  private arrayInitializer(keyword: Token, elementType: TypeSyntax | undefined): Expression {
    if (!this.isPunctuator('{')) this.unsupported(this.peek(), 'only arrays with an initializer { … } are supported');
    this.index++;
    const items = this.list('}', true);
    this.expectPunctuator('}');
    return { kind: 'new-array', elementType, items, span: this.spanFrom(keyword) };
  }

  /** Comma-separated expressions up to `closer` (not consumed); initializers allow a trailing comma. */
  private list(closer: ')' | '}' | ']', trailingComma = false): Expression[] {
    const items: Expression[] = [];
    if (this.isPunctuator(closer)) return items;
    for (;;) {
      if (this.isPunctuator('{')) this.unsupported(this.peek(), 'nested initializers are not supported');
      items.push(this.expression());
      if (!this.isPunctuator(',')) return items;
      this.index++;
      if (this.isPunctuator(closer)) {
        if (!trailingComma) this.notCompiling(this.spanOf(this.peek()), 'a trailing comma in an argument list');
        return items;
      }
    }
  }

  // ---- types ----

  private type(): TypeSyntax {
    const type = this.tryType();
    if (!type) this.unexpected(this.peek(), 'a type');
    return type;
  }

  /** A type name with type arguments and array ranks, or undefined (position unchanged). */
  private tryType(): TypeSyntax | undefined {
    const start = this.index;
    const name = this.peek();
    if (name.kind !== 'identifier' || ['null', 'true', 'false', 'new', 'is', 'as'].includes(name.text)) return undefined;
    this.index++;
    const typeArguments: TypeSyntax[] = [];
    if (this.isPunctuator('<')) {
      this.index++;
      for (;;) {
        const argument = this.tryType();
        if (!argument) {
          this.index = start;
          return undefined;
        }
        typeArguments.push(argument);
        if (!this.isPunctuator(',')) break;
        this.index++;
      }
      if (!this.isPunctuator('>')) {
        this.index = start;
        return undefined;
      }
      this.index++;
    }
    let arrayRank = 0;
    while (this.isPunctuator('[') && this.isPunctuator(']', 1)) {
      this.index += 2;
      arrayRank++;
    }
    return { name: name.text, typeArguments, arrayRank, span: { start: name.start, end: this.tokens[this.index - 1].end } };
  }

  // ---- tokens ----

  private isPunctuator(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punctuator' && token.text === text;
  }

  private expectIdentifier(what: string): Token {
    const token = this.next();
    if (token.kind !== 'identifier') this.unexpected(token, what);
    return token;
  }

  private expectPunctuator(text: string): Token {
    const token = this.next();
    if (token.kind !== 'punctuator' || token.text !== text) this.unexpected(token, `"${text}"`);
    return token;
  }

  private unexpected(token: Token, expected: string): never {
    if (token.kind === 'end') {
      throw new InvalidPolicyError(`the expression ${this.display} ends where ${expected} is expected; it would not compile`);
    }
    return this.unsupported(token, `expected ${expected}`);
  }

  private unsupported(token: Token, detail: string): never {
    const rest = this.source.slice(token.start).trim();
    throw new UnsupportedExpressionError(rest.length > 40 ? rest.slice(0, 40) + '…' : rest, this.source, detail);
  }

  private notCompiling(span: SourceSpan, detail: string): never {
    throw new InvalidPolicyError(`${detail}: "${this.source.slice(span.start, span.end)}" in ${this.display}; it would not compile`);
  }

  private spanOf(token: Token): SourceSpan {
    return { start: token.start, end: token.end };
  }

  /** From `start` to the end of the last token read. */
  private spanFrom(start: Token): SourceSpan {
    return { start: start.start, end: this.tokens[Math.max(this.index - 1, 0)].end };
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
