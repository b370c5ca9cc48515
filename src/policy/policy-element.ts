import { CSharpExpression } from './csharp-expression';

/**
 * A value of a policy attribute. Literal text is escaped by the renderer; an expression is
 * written as `@(…)`; a Terraform token (for example a certificate's thumbprint that is known
 * only at apply time) is passed through for Terraform to interpolate.
 */
export type PolicyValue =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'expression'; readonly expression: CSharpExpression }
  | { readonly kind: 'token'; readonly token: string };

export interface PolicyAttribute {
  readonly name: string;
  readonly value: PolicyValue;
}

/** One element of a policy document, as data. Attribute order is kept as given. */
export interface PolicyElement {
  readonly name: string;
  readonly attributes: readonly PolicyAttribute[];
  readonly children: readonly PolicyElement[];
}

export function literal(text: string): PolicyValue {
  return { kind: 'literal', text };
}

export function expression(expr: CSharpExpression): PolicyValue {
  return { kind: 'expression', expression: expr };
}

export function terraformToken(token: string): PolicyValue {
  return { kind: 'token', token };
}

/**
 * Builds an element. Attributes whose value is `undefined` are left out, so optional
 * attributes can be written inline without changing the order of the others.
 */
export function element(
  name: string,
  attributes: ReadonlyArray<readonly [string, PolicyValue | string | boolean | number | undefined]> = [],
  children: readonly PolicyElement[] = [],
): PolicyElement {
  const attrs: PolicyAttribute[] = [];
  for (const [attrName, value] of attributes) {
    if (value === undefined) continue;
    attrs.push({ name: attrName, value: typeof value === 'object' ? value : literal(String(value)) });
  }
  return { name, attributes: attrs, children };
}
