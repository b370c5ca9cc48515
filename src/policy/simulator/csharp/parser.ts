import { ExpressionParser } from './expression-parser';
import { Expression, Statement, TypeSyntax } from './syntax';

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
  const parser = new StatementParser(source, `@(${source})`);
  const expression = parser.expression();
  parser.expectEnd();
  return expression;
}

/** Parses the text of one `@{...}` statement block (without `@{` and `}`). */
export function parseStatementBlock(source: string): Statement {
  const parser = new StatementParser(source, `@{${source}}`);
  const statements: Statement[] = [];
  while (!parser.atEnd()) statements.push(parser.statement());
  return { kind: 'block', statements, span: { start: 0, end: source.length } };
}

/** Statements outside the subset; the rest of the block cannot be read without them. */
const UNSUPPORTED_STATEMENTS = new Set(['while', 'for', 'do', 'switch', 'try', 'throw', 'using', 'lock', 'goto', 'break', 'continue', 'yield', 'const', 'checked', 'unchecked', 'fixed', 'unsafe']);

class StatementParser extends ExpressionParser {
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
}
