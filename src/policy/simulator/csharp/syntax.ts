/*
 * The syntax tree of a policy expression (`@(…)`) or statement block (`@{…}`), as the parser
 * reads it. Every node keeps its span, so messages quote exactly what the author wrote.
 */

/** Where a node is in the expression text. */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

/** A type as written: `string`, `string[]`, `HashSet<string>`, `X509Certificate2`. */
export interface TypeSyntax {
  readonly name: string;
  readonly typeArguments: readonly TypeSyntax[];
  readonly arrayRank: number;
  readonly span: SourceSpan;
}

/** The text of a type as C# prints it, e.g. `HashSet<string>` or `string[]`. */
export function typeText(type: TypeSyntax): string {
  const generic = type.typeArguments.length > 0 ? `<${type.typeArguments.map(typeText).join(', ')}>` : '';
  return type.name + generic + '[]'.repeat(type.arrayRank);
}

export type BinaryOperator =
  | '||' | '&&' | '|' | '^' | '&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | '??';

/** An argument; `out var x` / `out T x` / `out x` are the only modifiers read. */
export interface Argument {
  readonly value: Expression;
  readonly out?: { readonly declaredType?: TypeSyntax | 'var'; readonly name: string };
}

export type Expression =
  | { readonly kind: 'null'; readonly span: SourceSpan }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly span: SourceSpan }
  | { readonly kind: 'string'; readonly value: string; readonly span: SourceSpan }
  | { readonly kind: 'char'; readonly value: string; readonly span: SourceSpan }
  | { readonly kind: 'int'; readonly value: number; readonly span: SourceSpan }
  /** A literal the subset does not evaluate (interpolated string, real number, …). */
  | { readonly kind: 'unsupported-literal'; readonly span: SourceSpan }
  /** A name: a local, `context`, or a type such as `string` in `string.IsNullOrEmpty(…)`. */
  | { readonly kind: 'identifier'; readonly name: string; readonly span: SourceSpan }
  | { readonly kind: 'member'; readonly target: Expression; readonly name: string; readonly conditional: boolean; readonly span: SourceSpan }
  | {
      readonly kind: 'call';
      /** A member (`x.Name(…)`) or an identifier (`Name(…)`). */
      readonly callee: Expression;
      readonly typeArguments: readonly TypeSyntax[];
      readonly args: readonly Argument[];
      readonly span: SourceSpan;
    }
  | { readonly kind: 'index'; readonly target: Expression; readonly args: readonly Expression[]; readonly conditional: boolean; readonly span: SourceSpan }
  | { readonly kind: 'unary'; readonly operator: '!' | '-' | '+' | '~'; readonly operand: Expression; readonly span: SourceSpan }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Expression; readonly right: Expression; readonly operatorSpan: SourceSpan; readonly span: SourceSpan }
  | { readonly kind: 'conditional'; readonly test: Expression; readonly whenTrue: Expression; readonly whenFalse: Expression; readonly span: SourceSpan }
  | { readonly kind: 'cast'; readonly type: TypeSyntax; readonly operand: Expression; readonly span: SourceSpan }
  | { readonly kind: 'as'; readonly operand: Expression; readonly type: TypeSyntax; readonly span: SourceSpan }
  /** `x is null`, and `x is not null` (C# 9, which APIM does not document). */
  | { readonly kind: 'is-null'; readonly operand: Expression; readonly negated: boolean; readonly span: SourceSpan }
  | { readonly kind: 'lambda'; readonly parameter: string; readonly body: Expression; readonly span: SourceSpan }
  /** `new string[] { … }`, `new[] { … }`. */
  | { readonly kind: 'new-array'; readonly elementType?: TypeSyntax; readonly items: readonly Expression[]; readonly span: SourceSpan }
  /** `new X509Certificate2(…)`, `new HashSet<string>(…) { … }`. */
  | { readonly kind: 'new-object'; readonly type: TypeSyntax; readonly args: readonly Expression[]; readonly initializer?: readonly Expression[]; readonly span: SourceSpan };

export type Statement =
  | { readonly kind: 'block'; readonly statements: readonly Statement[]; readonly span: SourceSpan }
  | { readonly kind: 'declaration'; readonly declaredType: TypeSyntax | 'var'; readonly name: string; readonly nameSpan: SourceSpan; readonly init?: Expression; readonly span: SourceSpan }
  | { readonly kind: 'assignment'; readonly name: string; readonly nameSpan: SourceSpan; readonly value: Expression; readonly span: SourceSpan }
  | { readonly kind: 'expression'; readonly expression: Expression; readonly span: SourceSpan }
  | { readonly kind: 'if'; readonly test: Expression; readonly then: Statement; readonly otherwise?: Statement; readonly span: SourceSpan }
  | { readonly kind: 'return'; readonly value: Expression; readonly span: SourceSpan }
  | {
      readonly kind: 'foreach';
      readonly declaredType: TypeSyntax | 'var';
      readonly name: string;
      readonly nameSpan: SourceSpan;
      readonly collection: Expression;
      readonly body: Statement;
      readonly span: SourceSpan;
    }
  | { readonly kind: 'empty'; readonly span: SourceSpan };

/** The source text of a node. */
export function textOf(source: string, node: { readonly span: SourceSpan }): string {
  return source.slice(node.span.start, node.span.end);
}
