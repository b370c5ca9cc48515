/*
 * Terraform evaluates `${…}` interpolations and `%{…}` directives anywhere inside a string of
 * a JSON configuration; `$${` and `%%{` are escapes for the literal text. This splits a string
 * into literal text and interpolated expressions without evaluating anything.
 */

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'interpolation'; readonly expression: string }
  | { readonly kind: 'directive'; readonly directive: string }
  | { readonly kind: 'unterminated'; readonly from: string };

/** The parts of a Terraform template string, in order; adjacent text is merged. */
export function templateParts(value: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < value.length) {
    const next = nextMarker(value, i);
    if (next < 0) {
      text += value.slice(i);
      break;
    }
    text += value.slice(i, next);
    i = next;
    if (value.startsWith('$${', i) || value.startsWith('%%{', i)) {
      text += value[i + 1] + '{';
      i += 3;
      continue;
    }
    const opener = value.startsWith('${', i) ? 'interpolation' : value.startsWith('%{', i) ? 'directive' : undefined;
    if (opener === undefined) {
      text += value[i];
      i += 1;
      continue;
    }
    flush();
    const end = expressionEnd(value, i + 2);
    if (end < 0) {
      parts.push({ kind: 'unterminated', from: value.slice(i, i + 40) });
      return parts;
    }
    const inner = value.slice(i + 2, end);
    parts.push(opener === 'interpolation' ? { kind: 'interpolation', expression: inner.trim() } : { kind: 'directive', directive: inner.trim() });
    i = end + 1;
  }
  flush();
  return parts;
}

/** Index of the next `$` or `%` at or after `from`, or -1: only they can start a template sequence. */
function nextMarker(value: string, from: number): number {
  const dollar = value.indexOf('$', from);
  const percent = value.indexOf('%', from);
  if (dollar < 0) return percent;
  if (percent < 0) return dollar;
  return Math.min(dollar, percent);
}

/** The literal text of a string that holds nothing to evaluate (escapes undone), else undefined. */
export function literalText(value: string): string | undefined {
  const parts = templateParts(value);
  if (parts.some((part) => part.kind !== 'text')) return undefined;
  return parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
}

/**
 * Index of the `}` that closes an expression starting at `start`, skipping nested braces and
 * quoted strings (which may hold templates of their own); -1 when it never closes.
 */
export function expressionEnd(value: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < value.length) {
    const c = value[i];
    if (c === '"') {
      i = quotedStringEnd(value, i + 1);
      if (i < 0) return -1;
      continue;
    }
    if (c === '{') depth += 1;
    if (c === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
    i += 1;
  }
  return -1;
}

/** Index just after the `"` closing a quoted string whose content starts at `start`; -1 if none. */
function quotedStringEnd(value: string, start: number): number {
  let i = start;
  while (i < value.length) {
    const c = value[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '"') {
      return i + 1;
    } else if (value.startsWith('${', i) || value.startsWith('%{', i)) {
      const end = expressionEnd(value, i + 2);
      if (end < 0) return -1;
      i = end + 1;
    } else {
      i += 1;
    }
  }
  return -1;
}
