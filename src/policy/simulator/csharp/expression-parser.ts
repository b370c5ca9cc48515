import { InvalidPolicyError } from '../simulation-errors';
import { Token } from './lexer';
import { Argument, BinaryOperator, Expression, TypeSyntax } from './syntax';
import { TokenReader } from './token-reader';

/*
 * Expressions of C# 7 as policies write them (see parser.ts). What the parser cannot read at
 * all is an UnsupportedExpressionError quoting the text.
 */

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

export class ExpressionParser extends TokenReader {
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

  protected type(): TypeSyntax {
    const type = this.tryType();
    if (!type) this.unexpected(this.peek(), 'a type');
    return type;
  }

  /** A type name with type arguments and array ranks, or undefined (position unchanged). */
  protected tryType(): TypeSyntax | undefined {
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
}
