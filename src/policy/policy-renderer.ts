import { Token } from 'cdktf';
import { PolicyAttribute, PolicyElement, PolicyValue } from './policy-element';

/**
 * Thrown when the policy model holds text that cannot be written safely. Constructs validate
 * user input earlier with friendlier messages; this is the last line of defence.
 */
export class PolicyRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyRenderError';
  }
}

const INDENT = '  ';
const ELEMENT_NAME = /^[a-z][a-z0-9-]*$/;
// XML 1.0 allows tab, LF, CR and everything from U+0020 on, except surrogates and U+FFFE/U+FFFF.
const FORBIDDEN_XML_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * The one place that turns the policy model into text, and the only place that escapes.
 *
 * Output is stable for review: one element per line, two-space indentation, attributes in the
 * order the model gives, LF line ends, a final newline. It is XML-neutral (domain.md §5):
 * well-formed XML that azurerm's `rawxml` reads the same way.
 */
export function renderPolicyElement(root: PolicyElement): string {
  const lines: string[] = [];
  renderInto(root, 0, lines);
  return lines.join('\n') + '\n';
}

function renderInto(el: PolicyElement, depth: number, lines: string[]): void {
  if (!ELEMENT_NAME.test(el.name)) {
    throw new PolicyRenderError(`"${el.name}" is not a policy element name`);
  }
  const indent = INDENT.repeat(depth);
  const attrs = el.attributes.map(renderAttribute).join('');
  if (el.children.length === 0) {
    lines.push(`${indent}<${el.name}${attrs} />`);
    return;
  }
  lines.push(`${indent}<${el.name}${attrs}>`);
  for (const child of el.children) renderInto(child, depth + 1, lines);
  lines.push(`${indent}</${el.name}>`);
}

function renderAttribute(attr: PolicyAttribute): string {
  if (!ELEMENT_NAME.test(attr.name)) {
    throw new PolicyRenderError(`"${attr.name}" is not a policy attribute name`);
  }
  return ` ${attr.name}=${renderValue(attr.name, attr.value)}`;
}

function renderValue(attrName: string, value: PolicyValue): string {
  switch (value.kind) {
    case 'expression': {
      const text = value.expression.code;
      // Single quotes around an expression free of <, & and ' read the same as XML and rawxml.
      if (/[<&']/.test(text) || FORBIDDEN_XML_CHARACTER.test(text)) {
        throw new PolicyRenderError(`expression for "${attrName}" is not XML-neutral: ${text}`);
      }
      return `'@(${text})'`;
    }
    case 'token':
      if (!Token.isUnresolved(value.token)) {
        throw new PolicyRenderError(`value for "${attrName}" was marked as a Terraform token but is plain text`);
      }
      return `"${value.token}"`;
    case 'literal':
      return renderLiteral(attrName, value.text);
  }
}

function renderLiteral(attrName: string, text: string): string {
  const problem = literalTextProblem(text);
  if (problem) {
    throw new PolicyRenderError(`value for "${attrName}" ${problem}: ${JSON.stringify(text)}`);
  }
  let escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Prefer the quote character the text does not contain, so DN values such as
  // O="Contoso, Inc." stay readable; escape only when the text holds both.
  if (!escaped.includes('"')) return `"${escaped}"`;
  if (!escaped.includes("'")) return `'${escaped}'`;
  escaped = escaped.replace(/"/g, '&quot;');
  return `"${escaped}"`;
}

/**
 * Why a piece of literal text cannot go into a policy attribute, or undefined when it can.
 * Exported so constructs can report the same rule with the construct path and a fix.
 */
export function literalTextProblem(text: string): string | undefined {
  if (Token.isUnresolved(text)) return 'contains an unresolved Terraform token where plain text is required';
  if (FORBIDDEN_XML_CHARACTER.test(text)) return 'contains a control character that XML cannot carry';
  if (/[\r\n\t]/.test(text)) return 'contains a line break or tab';
  if (text.startsWith('@')) return 'starts with "@", which APIM would run as a policy expression';
  if (text.includes('{{')) return 'contains "{{", which APIM would replace with a named value';
  if (/[$%]\{/.test(text)) return 'contains "${" or "%{", which Terraform would interpolate';
  return undefined;
}
