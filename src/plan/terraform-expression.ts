import { expressionEnd } from './terraform-template';

/*
 * The few shapes of Terraform expression the plan reader follows: a reference to an attribute
 * of another resource, and the guarded forms written by `src/policy/terraform-guard.ts`.
 * Everything else (functions, conditionals, variables, locals) is undecided for the reader.
 */

/** `type.name.attribute`, `data.type.name.attribute`, `var.name`, …, split at dots and indexes. */
export interface Traversal {
  /** `azurerm_api_management_certificate.partner.thumbprint` → `['azurerm_api_management_certificate', 'partner', 'thumbprint']`. */
  readonly steps: readonly string[];
  readonly text: string;
}

const STEP = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The expression as a traversal, when it is one (`[0]` and `["key"]` indexes become steps). */
export function traversalOf(expression: string): Traversal | undefined {
  const text = expression.trim();
  const steps: string[] = [];
  let i = 0;
  let expectName = true;
  while (i < text.length) {
    if (expectName) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
      if (!match) return undefined;
      steps.push(match[0]);
      i += match[0].length;
      expectName = false;
    } else if (text[i] === '.') {
      i += 1;
      if (/^[0-9]+/.test(text.slice(i))) {
        const digits = /^[0-9]+/.exec(text.slice(i))![0];
        steps.push(digits);
        i += digits.length;
      } else {
        expectName = true;
      }
    } else if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return undefined;
      const index = text.slice(i + 1, close).trim();
      const quoted = /^"([^"\\]*)"$/.exec(index);
      if (!/^[0-9]+$/.test(index) && !quoted) return undefined;
      steps.push(quoted ? quoted[1] : index);
      i = close + 1;
    } else {
      return undefined;
    }
  }
  if (expectName || steps.length === 0 || !STEP.test(steps[0])) return undefined;
  return { steps, text };
}

/**
 * `name(arguments)` split into the function name and its top-level arguments, as written;
 * undefined for anything else.
 */
export function functionCallOf(expression: string): { readonly name: string; readonly args: readonly string[] } | undefined {
  const text = expression.trim();
  const open = /^([a-z_][a-z0-9_]*)\(/.exec(text);
  if (!open || !text.endsWith(')')) return undefined;
  const inner = text.slice(open[0].length, -1);
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < inner.length) {
    const c = inner[i];
    if (c === '"') {
      // A quoted string may hold `(`, `,` and templates: skip it whole.
      const close = closingQuote(inner, i + 1);
      if (close < 0) return undefined;
      i = close + 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth += 1;
    if (c === ')' || c === ']' || c === '}') {
      depth -= 1;
      if (depth < 0) return undefined;
    }
    if (c === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
    i += 1;
  }
  if (depth !== 0) return undefined;
  if (inner.trim() !== '') args.push(inner.slice(start).trim());
  return { name: open[1], args };
}

/** The index of the `"` that closes a quoted string whose content starts at `start`. */
function closingQuote(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i;
    else if (text.startsWith('${', i)) {
      const end = expressionEnd(text, i + 2);
      if (end < 0) return -1;
      i = end + 1;
    } else i += 1;
  }
  return -1;
}

/** The value of a quoted Terraform string literal without templates (`"abc"` → `abc`). */
export function stringLiteralOf(expression: string): string | undefined {
  const text = expression.trim();
  if (!text.startsWith('"') || closingQuote(text, 1) !== text.length - 1) return undefined;
  const body = text.slice(1, -1);
  if (body.includes('${') || body.includes('%{')) return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const next = body[++i];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (next in simple) out += simple[next];
    else return undefined;
  }
  return out;
}
