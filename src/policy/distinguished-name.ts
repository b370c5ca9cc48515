/**
 * The relative distinguished names of a DN as text (`CN=a, O="b, c"` → `CN=a`, `O="b, c"`),
 * split at commas outside quotes and escapes, each without spaces around `=`. Accepts the .NET
 * form and openssl's (`CN = a, O = b`, and `-subj` style `/CN=a/O=b`).
 */
export function relativeNames(dn: string): string[] {
  const separator = dn.trim().startsWith('/') ? '/' : ',';
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < dn.length; i++) {
    const ch = dn[i];
    if (ch === '\\' && i + 1 < dn.length) {
      current += ch + dn[++i];
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === separator && !quoted) {
      names.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  names.push(current);
  return names.map((name) => name.trim().replace(/^([A-Za-z0-9.]+)\s*=\s*/, '$1=')).filter((name) => name !== '');
}

/**
 * True when `written` names the same attributes as `dotnet` (a name as .NET prints it) but in
 * another order, e.g. the encoded order openssl prints (`CN=partner, O=Contoso` for .NET's
 * `O=Contoso, CN=partner`). A gate compares names as .NET prints them, so such a rule matches
 * nothing.
 */
export function sameNamesInOtherOrder(written: string, dotnet: string): boolean {
  const a = relativeNames(written);
  const b = relativeNames(dotnet);
  if (a.length !== b.length || a.join(', ') === b.join(', ')) return false;
  return [...a].sort().join('\n') === [...b].sort().join('\n');
}
