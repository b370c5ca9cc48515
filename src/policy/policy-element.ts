import { CSharpExpression } from './csharp-expression';

/**
 * A value of a policy attribute or the text of an element. Literal text is escaped by the
 * renderer; an expression is written as `@(…)`; a Terraform token (for example a certificate's
 * thumbprint that is known only at apply time) is passed through for Terraform to interpolate;
 * a verbatim value is text written by a user as APIM reads it (see `verbatim`).
 */
export type PolicyValue =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'expression'; readonly expression: CSharpExpression }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'verbatim'; readonly text: string };

export interface PolicyAttribute {
  readonly name: string;
  readonly value: PolicyValue;
}

/** One element of a policy document, as data. Attribute order is kept as given. */
export interface PolicyElement {
  readonly name: string;
  readonly attributes: readonly PolicyAttribute[];
  readonly children: readonly PolicyElement[];
  /**
   * Character content, e.g. the `<value>` of `set-header` or the body of `set-body`. An element
   * has either text or children, never both.
   * @default - none
   */
  readonly text?: PolicyValue;
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
 * A value exactly as a user would write it in a policy: a policy expression (`@(…)` or
 * `@{…}`, written in C# as APIM runs it) or plain text that may name APIM named values
 * (`{{name}}`). The renderer refuses it unless it reads the same as XML and as azurerm's rawxml
 * and holds no Terraform interpolation; plain text is escaped like any literal.
 */
export function verbatim(text: string): PolicyValue {
  return { kind: 'verbatim', text };
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

/** Builds an element whose content is text, e.g. `<value>…</value>`. */
export function textElement(
  name: string,
  attributes: ReadonlyArray<readonly [string, PolicyValue | string | boolean | number | undefined]>,
  text: PolicyValue | string,
): PolicyElement {
  return { ...element(name, attributes), text: typeof text === 'string' ? literal(text) : text };
}
