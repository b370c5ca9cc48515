/** Node's short attribute names that .NET prints differently. */
const DOTNET_ATTRIBUTE_NAMES: Record<string, string> = { ST: 'S', emailAddress: 'E', GN: 'G' };

/**
 * Converts a distinguished name as Node prints it (`X509Certificate.subject`: one RDN per line,
 * least specific first, RFC 2253 backslash escapes) to the form .NET and therefore APIM policies
 * use (`X509Certificate2.Subject`): most specific first, joined by ", ", values with special
 * characters in double quotes. `C=US\nO=Contoso\, Inc.\nCN=Root` → `CN=Root, O="Contoso, Inc.", C=US`.
 */
export function dotnetDistinguishedName(nodeName: string): string {
  if (nodeName.trim() === '') return '';
  return nodeName
    .split('\n')
    .reverse()
    .map((rdn) => splitUnescaped(rdn, '+').map(formatAttribute).join(' + '))
    .join(', ');
}

function formatAttribute(attribute: string): string {
  const eq = attribute.indexOf('=');
  const type = attribute.slice(0, eq);
  const value = unescape(attribute.slice(eq + 1));
  return `${DOTNET_ATTRIBUTE_NAMES[type] ?? type}=${quoteIfNeeded(value)}`;
}

function quoteIfNeeded(value: string): string {
  const needsQuotes = /[,+="\n<>#;]/.test(value) || /^\s|\s$/.test(value) || value === '';
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

function unescape(value: string): string {
  return value.replace(/\\([0-9A-Fa-f]{2}|.)/g, (_m, escaped: string) =>
    escaped.length === 2 ? String.fromCharCode(parseInt(escaped, 16)) : escaped,
  );
}

/** Splits on `separator` where it is not backslash-escaped. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      current += text[i] + text[i + 1];
      i++;
    } else if (text[i] === separator) {
      parts.push(current);
      current = '';
    } else {
      current += text[i];
    }
  }
  parts.push(current);
  return parts;
}
