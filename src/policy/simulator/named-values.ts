import { UnknownNamedValueError, UnsupportedExpressionError } from './simulation-errors';

/*
 * Named values as APIM applies them: `{{name}}` is replaced by the value's text before the
 * policy is read, anywhere in the document (attributes, element text, expressions), without
 * escaping. A value holding `"`, `<` or `&` therefore changes the document around it, which is
 * exactly how a named value breaks a policy in APIM, and the simulation shows the same.
 */

/** What APIM allows in a named value's name: letters, digits, dot, dash (and underscore in ids). */
const NAME = /^[A-Za-z0-9._-]+$/;

export interface NamedValueSubstitution {
  readonly text: string;
  /** The names substituted, in order of first use. */
  readonly used: readonly string[];
}

export function substituteNamedValues(text: string, namedValues: Readonly<Record<string, string>>): NamedValueSubstitution {
  const used: string[] = [];
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    const close = open < 0 ? -1 : text.indexOf('}}', open + 2);
    if (close < 0) break;
    const name = text.slice(open + 2, close);
    const reference = text.slice(open, close + 2);
    if (!NAME.test(name)) {
      throw new UnsupportedExpressionError(reference, lineAround(text, open), 'text between {{ and }} that is not a named value name is not simulated');
    }
    if (!Object.prototype.hasOwnProperty.call(namedValues, name)) throw new UnknownNamedValueError(name, lineAround(text, open));
    const value = namedValues[name];
    if (value.includes('{{')) {
      throw new UnsupportedExpressionError(reference, lineAround(text, open), 'a named value whose value holds {{…}}: whether APIM substitutes again is not documented');
    }
    if (!used.includes(name)) used.push(name);
    out += text.slice(from, open) + value;
    from = close + 2;
  }
  return { text: out + text.slice(from), used };
}

/** The line of `text` at `index`, to show where a named value is used. */
function lineAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  const line = text.slice(start, end < 0 ? text.length : end).trim();
  return line.length > 120 ? line.slice(0, 120) + '…' : line;
}
