/*
 * Characters that change how text displays or compares without being seen: format characters
 * (bidirectional controls such as U+202E, zero-width spaces and joiners, U+FEFF), line and
 * paragraph separators, private-use characters and UTF-16 surrogates that are not part of a
 * pair. In a distinguished name they make a rule that matches no certificate while the review
 * shows a plausible (or reversed) name; in a URL they hide where requests go.
 */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/gu;

/** `U+202E` for one UTF-16 unit or code point. */
export function codePointName(character: string): string {
  return 'U+' + character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/** Text with every invisible character written as `<U+XXXX>`, safe to show in a message. */
export function showInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE, (character) => `<${codePointName(character)}>`);
}

/**
 * Why `text` cannot be used because it holds invisible, bidirectional or lone-surrogate
 * characters, naming their code points; undefined when it holds none.
 */
export function invisibleCharactersProblem(text: string): string | undefined {
  const found = [...new Set(text.match(INVISIBLE) ?? [])];
  if (found.length === 0) return undefined;
  return (
    `contains invisible, bidirectional or unpaired surrogate characters (${found.map(codePointName).join(', ')}) at ` +
    `${JSON.stringify(showInvisibleCharacters(text))}. Retype the value without them`
  );
}
