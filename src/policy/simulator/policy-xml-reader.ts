import { InvalidPolicyError } from './simulation-errors';

/**
 * How a policy document is written: as XML, where expressions are entity-escaped like any
 * attribute value, or as azurerm's rawxml, where they are taken literally.
 */
export enum PolicyFormat {
  /**
   * Try XML first, then rawxml. Well-formed XML is read as XML, as azurerm reads policies back,
   * except when an expression in an attribute spans lines: XML turns its line breaks into
   * spaces (a `//` comment would then swallow the rest), while rawxml, which azurerm deploys,
   * keeps them. Such a document is read as rawxml when it is valid rawxml.
   */
  AUTO = 'auto',
  /** Well-formed XML: expressions are entity-escaped like any other attribute value. */
  XML = 'xml',
  /**
   * azurerm's `rawxml`: text inside `@(...)` and `@{...}` is taken literally, so C# `"`, `<` and
   * `&&` appear unescaped; everything else is XML.
   */
  RAWXML = 'rawxml',
}

export interface PolicyXmlAttribute {
  readonly name: string;
  readonly value: string;
}

/** One element of a policy document, with the values as APIM reads them. */
export interface PolicyXmlElement {
  readonly name: string;
  readonly attributes: readonly PolicyXmlAttribute[];
  readonly children: readonly PolicyXmlElement[];
  /** Character data directly inside the element (CDATA included), untrimmed. */
  readonly text: string;
  /** Where the element is, e.g. `/policies/inbound/choose/when[2]` (index only among same-named siblings). */
  readonly path: string;
  /** 1-based line of the start tag. */
  readonly line: number;
}

export interface PolicyXmlDocument {
  readonly root: PolicyXmlElement;
  /** The format the document was read in (never AUTO). */
  readonly format: PolicyFormat;
}

/** The value of attribute `name`, or undefined. */
export function attributeOf(element: PolicyXmlElement, name: string): string | undefined {
  return element.attributes.find((attribute) => attribute.name === name)?.value;
}

/**
 * Reads a policy document. `pathPrefix` goes in front of every element path, so elements of the
 * enclosing scope's policy or of a fragment can be told apart from the policy's own.
 */
export function readPolicyXml(text: string, format: PolicyFormat = PolicyFormat.AUTO, pathPrefix = ''): PolicyXmlDocument {
  if (format !== PolicyFormat.AUTO) {
    return { root: new PolicyXmlParser(text, format === PolicyFormat.RAWXML, pathPrefix).parseDocument(), format };
  }
  try {
    const parser = new PolicyXmlParser(text, false, pathPrefix);
    const xml: PolicyXmlDocument = { root: parser.parseDocument(), format: PolicyFormat.XML };
    if (!parser.joinedExpressionLines) return xml;
    try {
      return readPolicyXml(text, PolicyFormat.RAWXML, pathPrefix);
    } catch {
      return xml;
    }
  } catch (xmlError) {
    try {
      return readPolicyXml(text, PolicyFormat.RAWXML, pathPrefix);
    } catch (rawError) {
      throw new InvalidPolicyError(
        `the policy is neither well-formed XML (${(xmlError as Error).message}) nor rawxml (${(rawError as Error).message})`,
      );
    }
  }
}

interface MutableElement {
  name: string;
  attributes: PolicyXmlAttribute[];
  children: MutableElement[];
  text: string;
  line: number;
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[-A-Za-z0-9_.:]/;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** A small strict reader for the XML used by policies: elements, attributes, text, CDATA, comments. */
class PolicyXmlParser {
  private pos = 0;
  /** Set when XML attribute-value normalization turned a line break inside an expression into a space. */
  joinedExpressionLines = false;

  constructor(
    private readonly text: string,
    private readonly raw: boolean,
    private readonly pathPrefix: string,
  ) {}

  parseDocument(): PolicyXmlElement {
    if (this.text.startsWith('\uFEFF')) this.pos = 1;
    this.skipMisc();
    if (!this.text.startsWith('<', this.pos)) this.fail('expected the root element');
    const root = this.parseElement();
    this.skipMisc();
    if (this.pos < this.text.length) this.fail('unexpected content after the root element');
    return freeze(root, this.pathPrefix + '/' + root.name);
  }

  /** Whitespace, the XML declaration, processing instructions and comments around the root. */
  private skipMisc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.text.startsWith('<?', this.pos)) this.skipPast('?>', 'processing instruction');
      else if (this.text.startsWith('<!--', this.pos)) this.skipComment();
      else if (this.text.startsWith('<!', this.pos)) this.fail('DOCTYPE declarations are not allowed in a policy');
      else return;
    }
  }

  private parseElement(): MutableElement {
    const line = this.lineAt(this.pos);
    this.pos++; // '<'
    const element: MutableElement = { name: this.readName('element name'), attributes: [], children: [], text: '', line };
    for (;;) {
      const hadSpace = this.skipWhitespace();
      if (this.text.startsWith('/>', this.pos)) {
        this.pos += 2;
        return element;
      }
      if (this.text[this.pos] === '>') {
        this.pos++;
        this.parseContent(element);
        return element;
      }
      if (!hadSpace) this.fail(`expected whitespace, "/>" or ">" in <${element.name}>`);
      const name = this.readName('attribute name');
      if (element.attributes.some((attribute) => attribute.name === name)) this.fail(`duplicate attribute ${name} on <${element.name}>`);
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      element.attributes.push({ name, value: this.readAttributeValue() });
    }
  }

  private parseContent(element: MutableElement): void {
    for (;;) {
      if (this.pos >= this.text.length) this.fail(`<${element.name}> is not closed`);
      if (this.text.startsWith('</', this.pos)) {
        this.pos += 2;
        const name = this.readName('end tag name');
        if (name !== element.name) this.fail(`</${name}> closes <${element.name}>`);
        this.skipWhitespace();
        this.expect('>');
        return;
      }
      if (this.text.startsWith('<!--', this.pos)) this.skipComment();
      else if (this.text.startsWith('<![CDATA[', this.pos)) {
        const end = this.indexOrFail(']]>', this.pos + 9, 'CDATA section');
        element.text += this.text.slice(this.pos + 9, end);
        this.pos = end + 3;
      } else if (this.text.startsWith('<?', this.pos)) this.skipPast('?>', 'processing instruction');
      else if (this.text[this.pos] === '<') element.children.push(this.parseElement());
      else element.text += this.readText();
    }
  }

  /** Character data up to the next markup. In rawxml an expression is taken literally. */
  private readText(): string {
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== '<') {
      if (this.raw && this.startsExpression(this.pos)) {
        const end = expressionEnd(this.text, this.pos);
        if (end < 0) this.fail('unbalanced policy expression');
        out += this.text.slice(this.pos, end);
        this.pos = end;
      } else if (this.text[this.pos] === '&') {
        out += this.readReference();
      } else {
        out += this.text[this.pos++];
      }
    }
    return out;
  }

  private readAttributeValue(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted attribute value');
    this.pos++;
    if (this.raw && this.startsExpression(this.pos)) {
      // rawxml: the whole expression is literal text; the attribute must end right after it.
      const end = expressionEnd(this.text, this.pos);
      if (end < 0) this.fail('unbalanced policy expression in an attribute');
      const value = this.text.slice(this.pos, end);
      this.pos = end;
      if (this.text[this.pos] !== quote) this.fail(`expected ${quote} right after the policy expression`);
      this.pos++;
      return value;
    }
    let value = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail('attribute value is not closed');
      if (ch === quote) {
        this.pos++;
        return value;
      }
      if (ch === '<') this.fail('"<" is not allowed in an attribute value');
      if (ch === '&') {
        value += this.readReference();
        continue;
      }
      // XML attribute-value normalization: each whitespace character becomes a space.
      if ((ch === '\n' || ch === '\r') && /^@[({]/.test(value)) this.joinedExpressionLines = true;
      value += ch === '\t' || ch === '\n' || ch === '\r' ? ' ' : ch;
      this.pos++;
    }
  }

  private startsExpression(at: number): boolean {
    return this.text[at] === '@' && (this.text[at + 1] === '(' || this.text[at + 1] === '{');
  }

  private readReference(): string {
    const end = this.text.indexOf(';', this.pos);
    if (end < 0 || end - this.pos > 10) this.fail('"&" must start an entity or character reference');
    const body = this.text.slice(this.pos + 1, end);
    let decoded: string | undefined;
    if (/^#[0-9]+$/.test(body)) decoded = codePointText(parseInt(body.slice(1), 10));
    else if (/^#x[0-9A-Fa-f]+$/.test(body)) decoded = codePointText(parseInt(body.slice(2), 16));
    else decoded = PREDEFINED_ENTITIES[body];
    if (decoded === undefined) this.fail(`unknown or invalid reference &${body};`);
    this.pos = end + 1;
    return decoded;
  }

  private readName(what: string): string {
    const start = this.pos;
    if (!NAME_START.test(this.text[this.pos] ?? '')) this.fail(`expected ${what}`);
    while (NAME_CHAR.test(this.text[this.pos] ?? '')) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipWhitespace(): boolean {
    const start = this.pos;
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos++;
    return this.pos > start;
  }

  private skipComment(): void {
    const end = this.indexOrFail('-->', this.pos + 4, 'comment');
    if (this.text.slice(this.pos + 4, end).includes('--')) this.fail('"--" is not allowed inside a comment');
    this.pos = end + 3;
  }

  private skipPast(terminator: string, what: string): void {
    this.pos = this.indexOrFail(terminator, this.pos, what) + terminator.length;
  }

  private indexOrFail(needle: string, from: number, what: string): number {
    const index = this.text.indexOf(needle, from);
    if (index < 0) this.fail(`${what} is not closed`);
    return index;
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  // Lines are counted incrementally: start tags are met in document order.
  private counted = { offset: 0, line: 1 };

  private lineAt(offset: number): number {
    if (offset < this.counted.offset) this.counted = { offset: 0, line: 1 };
    let { line } = this.counted;
    for (let i = this.counted.offset; i < offset; i++) if (this.text[i] === '\n') line++;
    this.counted = { offset, line };
    return line;
  }

  private fail(message: string): never {
    throw new InvalidPolicyError(`${message} (line ${this.lineAt(Math.min(this.pos, this.text.length))})`);
  }
}

/** XML 1.0 `Char`: what a character reference may produce. */
function codePointText(codePoint: number): string | undefined {
  const allowed =
    codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff);
  return allowed ? String.fromCodePoint(codePoint) : undefined;
}

/**
 * The index just after the expression starting with `@(` or `@{` at `start`, or -1 when it is
 * not closed. Brackets are balanced outside C# string and character literals, so `")"` inside
 * a literal does not end the expression.
 */
export function expressionEnd(text: string, start: number): number {
  const closers: string[] = [];
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '(' || ch === '{' || ch === '[') {
      closers.push(ch === '(' ? ')' : ch === '{' ? '}' : ']');
      i++;
    } else if (ch === ')' || ch === '}' || ch === ']') {
      if (closers.pop() !== ch) return -1;
      i++;
      if (closers.length === 0) return i;
    } else if (ch === '@' && text[i + 1] === '"') {
      i = verbatimStringEnd(text, i + 2);
    } else if (ch === '/' && text[i + 1] === '/') {
      // A comment may hold anything, an apostrophe or a bracket included; it ends with the line.
      while (i < text.length && !/[\n\r\u0085\u2028\u2029]/.test(text[i])) i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? -1 : close + 2;
    } else if (ch === '"' || ch === "'") {
      i = quotedLiteralEnd(text, i + 1, ch);
    } else {
      i++;
    }
    if (i < 0) return -1;
  }
  return -1;
}

/** After a regular C# string or character literal (backslash escapes). */
function quotedLiteralEnd(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
    else if (text[i] === '\n') return -1;
  }
  return -1;
}

/** After a verbatim C# string `@"..."`, where `""` is a quote. */
function verbatimStringEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') i++;
    else return i + 1;
  }
  return -1;
}

function freeze(element: MutableElement, path: string): PolicyXmlElement {
  const counts = new Map<string, number>();
  for (const child of element.children) counts.set(child.name, (counts.get(child.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const children = element.children.map((child) => {
    const index = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, index);
    const suffix = counts.get(child.name)! > 1 ? `[${index}]` : '';
    return freeze(child, `${path}/${child.name}${suffix}`);
  });
  return Object.freeze({
    name: element.name,
    attributes: Object.freeze([...element.attributes]),
    children: Object.freeze(children),
    text: element.text,
    path,
    line: element.line,
  });
}
