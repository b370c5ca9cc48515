import { InvalidPolicyError, PolicyFormat, PolicyXmlElement, readPolicyXml } from '../../../src/policy/simulator';

function attributes(element: PolicyXmlElement): Record<string, string> {
  return Object.fromEntries(element.attributes.map((a) => [a.name, a.value]));
}

describe('readPolicyXml in XML mode', () => {
  test('decodes entities and character references in attribute values', () => {
    const { root } = readPolicyXml(`<a x="&lt;&amp;&gt;&quot;&apos;&#65;&#x1F600;" y='say "hi"' />`, PolicyFormat.XML);
    expect(attributes(root)).toEqual({ x: `<&>"'A😀`, y: 'say "hi"' });
  });

  test('an expression must be escaped like any other value', () => {
    const { root } = readPolicyXml(`<when condition="@(a &amp;&amp; b != &quot;x&quot; || c &lt; d)" />`, PolicyFormat.XML);
    expect(attributes(root).condition).toBe('@(a && b != "x" || c < d)');
  });

  test.each([
    ['an unescaped < in a value', '<a x="<" />'],
    ['a bare &', '<a x="a & b" />'],
    ['an unknown entity', '<a x="&nbsp;" />'],
    ['a quote ending the value early', '<a x="@(b == "c")" />'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b /></c>'],
    ['two roots', '<a /><b />'],
    ['a duplicate attribute', '<a x="1" x="2" />'],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a />'],
    ['a reference to a forbidden character', '<a x="&#0;" />'],
  ])('refuses %s', (_label, xml) => {
    expect(() => readPolicyXml(xml, PolicyFormat.XML)).toThrow(InvalidPolicyError);
  });

  test('keeps text, CDATA and skips comments, the declaration and a BOM', () => {
    const { root } = readPolicyXml('\uFEFF<?xml version="1.0"?>\n<!-- c --><a>x<![CDATA[<y>]]><!-- d -->z</a>', PolicyFormat.XML);
    expect(root.text).toBe('x<y>z');
  });

  test('names elements by path, with an index only among same-named siblings', () => {
    const { root } = readPolicyXml('<policies><inbound><choose><when /><when /><otherwise /></choose></inbound></policies>', PolicyFormat.XML);
    const choose = root.children[0].children[0];
    expect(choose.children.map((c) => c.path)).toEqual([
      '/policies/inbound/choose/when[1]',
      '/policies/inbound/choose/when[2]',
      '/policies/inbound/choose/otherwise',
    ]);
  });

  test('reports the line of a problem', () => {
    expect(() => readPolicyXml('<a>\n<b>\n</a>', PolicyFormat.XML)).toThrow(/line 3/);
  });
});

describe('readPolicyXml in rawxml mode', () => {
  test('takes an expression literally, with C# quotes, <, && and ) inside string literals', () => {
    const raw = `<when condition="@(a == "x)" && b < c || d != "\\"q\\"")" other="&amp;" />`;
    const { root } = readPolicyXml(raw, PolicyFormat.RAWXML);
    expect(attributes(root)).toEqual({ condition: '@(a == "x)" && b < c || d != "\\"q\\"")', other: '&' });
  });

  test('does not decode entities inside an expression', () => {
    const { root } = readPolicyXml(`<when condition="@(a &amp;&amp; b)" />`, PolicyFormat.RAWXML);
    expect(attributes(root).condition).toBe('@(a &amp;&amp; b)');
  });

  test('reads multi-statement expressions and expression text content literally', () => {
    const raw = `<set-body>@{ var x = "<b>"; return x; }</set-body>`;
    expect(readPolicyXml(raw, PolicyFormat.RAWXML).root.text).toBe('@{ var x = "<b>"; return x; }');
  });

  test('honours verbatim strings and char literals when balancing', () => {
    const raw = `<x v='@(@"a "" ) " == b || c == ')')' />`;
    expect(attributes(readPolicyXml(raw, PolicyFormat.RAWXML).root).v).toBe(`@(@"a "" ) " == b || c == ')')`);
  });

  test('skips C# comments, so an apostrophe or a bracket in a comment does not end the expression', () => {
    const raw = `<when condition="@(a == null // we're strict (really)\n || b /* don't ) */ == "x")" />`;
    expect(attributes(readPolicyXml(raw, PolicyFormat.RAWXML).root).condition).toBe(`@(a == null // we're strict (really)\n || b /* don't ) */ == "x")`);
  });

  test.each([
    ['an unbalanced expression', '<a x="@(b == (c)" />'],
    ['an unclosed comment in an expression', '<a x="@(b /* c)" />'],
    ['text after the expression inside the attribute', '<a x="@(b) c" />'],
    ['an unterminated string literal', '<a x="@(b == "c)" />'],
  ])('refuses %s', (_label, raw) => {
    expect(() => readPolicyXml(raw, PolicyFormat.RAWXML)).toThrow(InvalidPolicyError);
  });
});

describe('readPolicyXml auto-detection', () => {
  test('reads well-formed XML as XML and the rest as rawxml', () => {
    expect(readPolicyXml(`<a x="@(b &amp;&amp; c)" />`).format).toBe(PolicyFormat.XML);
    expect(readPolicyXml(`<a x="@(b && c)" />`).format).toBe(PolicyFormat.RAWXML);
  });

  test('reads a well-formed document whose expression spans lines as rawxml, which keeps the line breaks', () => {
    const text = `<a x="@(b // a comment\n || c)" y="1\n2" />`;
    const auto = readPolicyXml(text);
    expect(auto.format).toBe(PolicyFormat.RAWXML);
    expect(attributes(auto.root).x).toBe('@(b // a comment\n || c)');
    expect(attributes(readPolicyXml(text, PolicyFormat.XML).root).x).toBe('@(b // a comment  || c)');
    expect(readPolicyXml(`<a y="1\n2" />`).format).toBe(PolicyFormat.XML); // literal text: XML as before
  });

  test('explains both failures when the text is neither', () => {
    expect(() => readPolicyXml('<a x="@(b == "c" />')).toThrow(/neither well-formed XML \(.*\) nor rawxml \(.*\)/);
  });
});
