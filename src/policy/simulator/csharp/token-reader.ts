import { InvalidPolicyError, UnsupportedExpressionError } from '../simulation-errors';
import { Token, tokenize } from './lexer';
import { SourceSpan } from './syntax';

/* Reading the tokens of one expression or block, with errors that quote the author's text. */

export class TokenReader {
  protected readonly tokens: Token[];
  protected index = 0;

  constructor(
    protected readonly source: string,
    /** How messages quote the whole expression: `@(…)` or `@{…}`. */
    protected readonly display: string,
  ) {
    this.tokens = tokenize(source, display);
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  protected isPunctuator(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punctuator' && token.text === text;
  }

  protected expectIdentifier(what: string): Token {
    const token = this.next();
    if (token.kind !== 'identifier') this.unexpected(token, what);
    return token;
  }

  protected expectPunctuator(text: string): Token {
    const token = this.next();
    if (token.kind !== 'punctuator' || token.text !== text) this.unexpected(token, `"${text}"`);
    return token;
  }

  protected unexpected(token: Token, expected: string): never {
    if (token.kind === 'end') {
      throw new InvalidPolicyError(`the expression ${this.display} ends where ${expected} is expected; it would not compile`);
    }
    return this.unsupported(token, `expected ${expected}`);
  }

  protected unsupported(token: Token, detail: string): never {
    const rest = this.source.slice(token.start).trim();
    throw new UnsupportedExpressionError(rest.length > 40 ? rest.slice(0, 40) + '…' : rest, this.source, detail);
  }

  protected notCompiling(span: SourceSpan, detail: string): never {
    throw new InvalidPolicyError(`${detail}: "${this.source.slice(span.start, span.end)}" in ${this.display}; it would not compile`);
  }

  protected spanOf(token: Token): SourceSpan {
    return { start: token.start, end: token.end };
  }

  /** From `start` to the end of the last token read. */
  protected spanFrom(start: Token): SourceSpan {
    return { start: start.start, end: this.tokens[Math.max(this.index - 1, 0)].end };
  }

  protected peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  protected next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }
}
