import { Compiler, Scope } from './csharp/compiler';
import { parseExpression, parseStatementBlock } from './csharp/parser';
import { compileStatementBlock } from './csharp/statements';
import { UNKNOWN } from './csharp/types';
import { Compiled, CsValue, ExpressionHost, runtimeTypeName, simpleTypeOf } from './csharp/values';
import { InvalidPolicyError, UnsupportedExpressionError } from './simulation-errors';

/*
 * Policy expressions, as the simulator runs them: `@(expression)` and `@{ statements }` in
 * the C# subset described in README ("Testing what a policy lets in"). Text C# would not compile
 * is an InvalidPolicyError when the expression is compiled; valid C# outside the subset is an
 * UnsupportedExpressionError when evaluation reaches it; a .NET exception is a
 * PolicyExpressionException, which fails the policy as in APIM.
 */

export type { ExpressionHost } from './csharp/values';
export { PolicyExpressionException } from './csharp/values';

/** The code of one policy expression: `@(source)` or, when `multiStatement`, `@{source}`. */
export interface PolicyCode {
  readonly multiStatement: boolean;
  readonly source: string;
}

/** A policy expression that compiled. */
export interface CompiledPolicyExpression {
  /** The .NET type of the result, e.g. `bool` or `string` (`?` when it is outside the subset). */
  readonly type: string;
  /** Runs it; throws PolicyExpressionException for .NET exceptions. */
  evaluate(host: ExpressionHost): null | boolean | string | number;
}

/** Parses and type-checks the text of one `@(...)` expression (without `@(` and `)`). */
export function compilePolicyExpression(source: string): CompiledPolicyExpression {
  return publicView({ multiStatement: false, source });
}

/** Parses and type-checks the text of one `@{...}` statement block (without `@{` and `}`). */
export function compilePolicyStatements(source: string): CompiledPolicyExpression {
  return publicView({ multiStatement: true, source });
}

function publicView(code: PolicyCode): CompiledPolicyExpression {
  const compiled = compilePolicyCode(code);
  return {
    type: compiled.type,
    evaluate(host) {
      const value = run(compiled, host);
      if (value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number') return value;
      throw new UnsupportedExpressionError(code.source, code.source, `a result of type ${runtimeTypeName(value)} is not supported here`);
    },
  };
}

/** Evaluates a condition (`choose/when`); it must be a bool expression, as APIM requires. */
export function evaluateCondition(code: PolicyCode, host: ExpressionHost): boolean {
  const compiled = compilePolicyCode(code);
  if (compiled.type !== 'bool' && compiled.type !== UNKNOWN) {
    throw new InvalidPolicyError(`the condition ${display(code)} is of type ${compiled.type}, not bool; APIM would refuse it`);
  }
  const value = run(compiled, host);
  if (typeof value !== 'boolean') throw new UnsupportedExpressionError(code.source, code.source, 'the type of this condition is not known to the simulator');
  return value;
}

/** Evaluates an expression used as an attribute's text: a string, or a number such as a status code. */
export function evaluateText(code: PolicyCode, host: ExpressionHost): string | null {
  const compiled = compilePolicyCode(code);
  if (!['string', 'null', 'int', UNKNOWN].includes(compiled.type)) {
    throw new UnsupportedExpressionError(code.source, code.source, `a value of type ${compiled.type} where text is expected`);
  }
  const value = run(compiled, host);
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new UnsupportedExpressionError(code.source, code.source, `a value of type ${runtimeTypeName(value)} where text is expected`);
}

/** Evaluates an expression for its value, e.g. the value of set-variable. */
export function evaluateValue(code: PolicyCode, host: ExpressionHost): CsValue {
  return run(compilePolicyCode(code), host);
}

export function display(code: PolicyCode): string {
  return code.multiStatement ? `@{${code.source}}` : `@(${code.source})`;
}

function run(compiled: Compiled, host: ExpressionHost): CsValue {
  const value = compiled.run({ host, locals: new Map() });
  // A watched value in a result reaches the policy (a header, a URL, a variable): any use is possible.
  host.observer?.usedWithin(value, 'the result of an expression');
  return value;
}

// Thousands of simulated requests share a few expressions: compile each text once.
const MAX_CACHED = 5000;
const cache = new Map<string, Compiled | Error>();

function compilePolicyCode(code: PolicyCode): Compiled {
  const key = `${code.multiStatement ? '{' : '('}${code.source}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    try {
      entry = compileUncached(code);
    } catch (error) {
      if (!(error instanceof InvalidPolicyError || error instanceof UnsupportedExpressionError)) throw error;
      entry = error;
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, entry);
  }
  if (entry instanceof Error) throw entry;
  return entry;
}

function compileUncached(code: PolicyCode): Compiled {
  const compiler = new Compiler(code.source, display(code));
  return code.multiStatement
    ? compileStatementBlock(compiler, parseStatementBlock(code.source))
    : compiler.expression(parseExpression(code.source), new Scope());
}

/** Values `set-variable` may store: APIM allows basic types only. */
export function isStorableVariable(value: CsValue): boolean {
  return value === null || simpleTypeOf(value) !== undefined;
}
