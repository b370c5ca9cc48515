/*
 * Markdown for pull-request comments. Every value from the plan goes through `code` or `text`,
 * so a display name, URL or message can neither break the layout nor inject links, HTML or
 * @-mentions.
 */

/** An inline code span for any text (backticks inside are fenced around, newlines flattened). */
export function code(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  if (flat === '') return '` `';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Plain text for the middle of a line (never its start): inline Markdown, HTML and @-mentions
 * are escaped.
 */
export function text(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    // GitHub turns a bare URL into a link: its scheme separator and `www.` are written as entities.
    .replace(/:\/\//g, '&#58;//')
    .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}&#46;`);
}

/** Markdown for a table cell: pipes (also inside code spans) escaped, so the row keeps its columns. */
export function tableCell(markdown: string): string {
  return markdown.replace(/(?<!\\)\|/g, '\\|');
}
