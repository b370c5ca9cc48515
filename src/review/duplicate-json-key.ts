/*
 * JSON.parse keeps the last of two equal keys in an object; Terraform's JSON syntax keeps both
 * (two "resource" objects are two sets of resources, two equal attributes an error). A
 * configuration with a duplicate key therefore means something the review cannot see, and no
 * synth writes one.
 */

export interface DuplicateJsonKey {
  readonly key: string;
  /** Where the object is, e.g. `resource.azurerm_api_management_api_policy.X` (`(root)` for the top). */
  readonly path: string;
}

/** The first key that appears twice in one object of `text` (valid JSON), or undefined. */
export function firstDuplicateJsonKey(text: string): DuplicateJsonKey | undefined {
  return new DuplicateKeyScanner(text).scan();
}

class DuplicateKeyScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  scan(): DuplicateJsonKey | undefined {
    return this.value([]);
  }

  private value(path: readonly string[]): DuplicateJsonKey | undefined {
    this.skipWhitespace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(path);
    if (ch === '[') return this.array(path);
    if (ch === '"') {
      this.string();
      return undefined;
    }
    // A number, true, false or null: up to the next delimiter.
    while (this.pos < this.text.length && !/[,\]}\s]/.test(this.text[this.pos])) this.pos++;
    return undefined;
  }

  private object(path: readonly string[]): DuplicateJsonKey | undefined {
    this.pos++; // '{'
    const keys = new Set<string>();
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return undefined;
      }
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      const key = this.string();
      // Keys come from the file under review: quoted, so no newline or control character reaches a message.
      if (keys.has(key)) return { key, path: path.length === 0 ? '(root)' : path.map((part) => JSON.stringify(part)).join('.') };
      keys.add(key);
      this.skipWhitespace();
      this.pos++; // ':'
      const found = this.value([...path, key]);
      if (found) return found;
    }
  }

  private array(path: readonly string[]): DuplicateJsonKey | undefined {
    this.pos++; // '['
    let index = 0;
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return undefined;
      }
      if (this.text[this.pos] === ',') {
        this.pos++;
        index++;
        continue;
      }
      const found = this.value([...path, String(index)]);
      if (found) return found;
    }
  }

  /** Reads a string literal at `pos` and returns its value. */
  private string(): string {
    const start = this.pos;
    this.pos++; // opening quote
    while (this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private skipWhitespace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }
}
