/*
 * What cdktf writes for a token inside a Terraform function call is the token's own text: an
 * expression for a reference or a function, but the raw text for a Lazy value, a custom
 * IResolvable or `Token.asAny("…")`, and unescaped keys for an object. Such text can close the
 * call it stands in and write anything after it. A guard only holds when its argument is one
 * self-contained expression, which is what this checks, as Terraform's lexer would read it.
 */

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/**
 * Why `text` cannot stand as one argument of a Terraform function call without being able to
 * close that call, or undefined when it can: strings and brackets must balance, and comments,
 * line breaks and template directives (which would make Terraform read past the argument or
 * compute text nobody wrote) are refused.
 */
export function terraformArgumentProblem(text: string): string | undefined {
  if (text.trim() === '') return 'is empty';
  if (/[\r\n]/.test(text)) return 'spans lines';
  // Expected closing characters, innermost last; '"' while inside a string.
  const open: string[] = [];
  let i = 0;
  while (i < text.length) {
    const character = text[i];
    if (open[open.length - 1] === '"') {
      if (character === '\\') i += 2;
      else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) i += 3;
      else if (text.startsWith('%{', i)) return 'holds a template directive (%{…}), which Terraform would evaluate';
      else if (text.startsWith('${', i)) {
        open.push('}');
        i += 2;
      } else {
        if (character === '"') open.pop();
        i += 1;
      }
      continue;
    }
    if (character === '#' || text.startsWith('//', i) || text.startsWith('/*', i)) return 'holds a comment';
    if (character === '"') open.push('"');
    else if (CLOSING[character]) open.push(CLOSING[character]);
    else if (character === ')' || character === ']' || character === '}') {
      if (open.pop() !== character) return `closes a "${character}" it did not open, ending the expression around it`;
    }
    i += 1;
  }
  return open.length > 0 ? 'leaves a string or bracket open' : undefined;
}
