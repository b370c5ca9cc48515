import { Token } from 'cdktf';
import { PolicyAttribute, PolicyElement, PolicyValue } from './policy-element';
import { expressionEnd } from './simulator/policy-xml-reader';

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
 * order the model gives, LF line ends, a final newline. It is XML-neutral: well-formed XML
 * that means the same when azurerm sends it as `rawxml`, where expressions are taken literally.
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
  if (el.text !== undefined) {
    if (el.children.length > 0) throw new PolicyRenderError(`<${el.name}> has both text and child elements`);
    // Text is written as given: indenting it would change what a set-body or value holds.
    lines.push(`${indent}<${el.name}${attrs}>${renderText(el.name, el.text)}</${el.name}>`);
    return;
  }
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
    case 'verbatim':
      return renderVerbatimAttribute(attrName, value.text);
  }
}

function renderVerbatimAttribute(attrName: string, text: string): string {
  const problem = verbatimProblem(text, 'attribute');
  if (problem) throw new PolicyRenderError(`value for "${attrName}" ${problem}: ${JSON.stringify(text)}`);
  if (!isPolicyExpression(text)) return renderLiteralText(text);
  // verbatimProblem guarantees at most one of the two quote characters.
  return text.includes("'") ? `"${text}"` : `'${text}'`;
}

/** Element content: escaped literal text, or an expression that reads the same as XML and rawxml. */
function renderText(elementName: string, value: PolicyValue): string {
  const where = `text of <${elementName}>`;
  switch (value.kind) {
    case 'literal': {
      const problem = textProblem(value.text) ?? literalTextProblem(value.text.replace(/[\n\t]/g, ' '));
      if (problem) throw new PolicyRenderError(`${where} ${problem}: ${JSON.stringify(value.text)}`);
      return escapeMarkup(value.text);
    }
    case 'verbatim': {
      const problem = verbatimProblem(value.text, 'text');
      if (problem) throw new PolicyRenderError(`${where} ${problem}: ${JSON.stringify(value.text)}`);
      return isPolicyExpression(value.text) ? value.text : escapeMarkup(value.text);
    }
    case 'expression': {
      const code = value.expression.code;
      if (/[<&]/.test(code) || FORBIDDEN_XML_CHARACTER.test(code)) {
        throw new PolicyRenderError(`expression in the ${where} is not XML-neutral: ${code}`);
      }
      return `@(${code})`;
    }
    case 'token':
      throw new PolicyRenderError(`${where} cannot be a Terraform token: its value could add markup to the policy`);
  }
}

const NAMED_VALUE_REFERENCE = /\{\{[A-Za-z0-9._-]+\}\}/g;

/**
 * True for text that is one whole policy expression: `@(…)` or a statement block `@{…}`, with
 * brackets balanced outside C# literals (so `@(a) + @(b)` is not one).
 */
export function isPolicyExpression(text: string): boolean {
  return /^@[({]/.test(text) && expressionEnd(text, 0) === text.length;
}

/**
 * Why a verbatim value (see `verbatim`) cannot be written into a policy attribute or element
 * text, or undefined when it can. Exported so constructs can report the same rule with the
 * construct path and a fix.
 *
 * An expression must be XML-neutral: azurerm sends the policy as rawxml, where
 * the expression is taken literally, while a reader of the XML decodes entities. Text without
 * `<` and `&` (and, in an attribute, without one of the two quote characters) means the same in
 * both. Plain text may name APIM named values as `{{name}}`.
 */
export function verbatimProblem(text: string, where: 'attribute' | 'text'): string | undefined {
  if (typeof text !== 'string') return 'is not a string';
  if (Token.isUnresolved(text)) return 'contains an unresolved Terraform token, which cannot be checked at synth';
  if (FORBIDDEN_XML_CHARACTER.test(text)) return 'contains a control character that XML cannot carry';
  if (/[$%]\{/.test(text)) return 'contains "${" or "%{", which Terraform would interpolate. Write the value itself, or keep it in an APIM named value and write {{name}}';
  if (isPolicyExpression(text)) {
    if (/[<&]/.test(text)) {
      return 'is a policy expression with "<" or "&", which azurerm\'s rawxml and XML read differently. Write "b > a" for "a < b", "!(!a || !b)" for "a && b", and "\\u0026" or "\\u003C" inside string literals';
    }
    if (where === 'text') return text.includes(']]>') ? 'contains "]]>", which XML does not allow in text' : undefined;
    if (/[\t\r]/.test(text)) return 'is a policy expression with a tab or carriage return, which XML turns into a space inside an attribute';
    if (text.includes("'") && text.includes('"')) {
      return 'is a policy expression with both quote characters, so no attribute quoting reads the same as XML and rawxml. Use \\u0027 or \\u0022 inside string literals';
    }
    return undefined;
  }
  if (text.startsWith('@')) return 'starts with "@" but is not a complete policy expression @(…) or @{…}';
  if (text.replace(NAMED_VALUE_REFERENCE, '').includes('{{')) {
    return 'contains "{{" that is not a named value reference {{name}} (letters, digits, ".", "_", "-")';
  }
  if (where === 'attribute') return /[\r\n\t]/.test(text) ? 'contains a line break or tab, which XML turns into a space inside an attribute' : undefined;
  return textProblem(text);
}

function textProblem(text: string): string | undefined {
  return text.includes('\r') ? 'contains a carriage return; use line feeds only' : undefined;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderLiteral(attrName: string, text: string): string {
  const problem = literalTextProblem(text);
  if (problem) {
    throw new PolicyRenderError(`value for "${attrName}" ${problem}: ${JSON.stringify(text)}`);
  }
  return renderLiteralText(text);
}

/** A checked literal as a quoted attribute value. */
function renderLiteralText(text: string): string {
  let escaped = escapeMarkup(text);
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
  if (/[$%]\{/.test(text)) return 'contains "${" or "%{", which Terraform would interpolate. Write the value itself';
  return undefined;
}
