import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { element, textElement, verbatim, PolicyDocument, PolicyRenderError, renderPolicyElement } from '../../src';
import { code, stringLiteral } from '../../src/policy/csharp-expression';
import { expression, literal, terraformToken } from '../../src/policy/policy-element';
import { assertWellFormedXml, attributesOf } from '../support/xml';

describe('renderPolicyElement', () => {
  test('writes one element per line with two-space indentation, LF and a final newline', () => {
    const xml = renderPolicyElement(element('a', [['x', '1']], [element('b'), element('c', [], [element('d')])]));
    expect(xml).toBe('<a x="1">\n  <b />\n  <c>\n    <d />\n  </c>\n</a>\n');
  });

  test('keeps attribute order and leaves out undefined attributes', () => {
    const xml = renderPolicyElement(element('e', [['z', 'last?'], ['skip', undefined], ['a', true], ['n', 401]]));
    expect(xml).toBe('<e z="last?" a="true" n="401" />\n');
  });

  test('escapes markup characters in literal values so they cannot open elements or end the attribute', () => {
    const hostile = `a"b<c>d&e'f`;
    const xml = renderPolicyElement(element('set-status', [['reason', hostile]]));
    assertWellFormedXml(xml);
    expect(attributesOf(xml, 'set-status')[0].reason).toBe(hostile);
    expect(xml).not.toMatch(/<c>/);
  });

  test('quotes a value containing only double quotes with single quotes, keeping DNs readable', () => {
    const xml = renderPolicyElement(element('identity', [['issuer-subject', 'CN=CA, O="Contoso, Inc."']]));
    expect(xml).toBe(`<identity issuer-subject='CN=CA, O="Contoso, Inc."' />\n`);
    expect(attributesOf(xml, 'identity')[0]['issuer-subject']).toBe('CN=CA, O="Contoso, Inc."');
  });

  test.each([
    ['@(context.Request.Body)', 'policy expression'],
    ['{{secret-named-value}}', 'named value'],
    ['${var.x}', 'Terraform would interpolate'],
    ['%{ if true }', 'Terraform would interpolate'],
    ['line\nbreak', 'line break'],
    ['bell\u0007', 'control character'],
  ])('refuses literal text %j that would change meaning (%s)', (text, reason) => {
    expect(() => renderPolicyElement(element('x', [['v', text]]))).toThrow(PolicyRenderError);
    expect(() => renderPolicyElement(element('x', [['v', text]]))).toThrow(reason);
  });

  test('writes expressions in single quotes and refuses any that are not XML-neutral', () => {
    expect(renderPolicyElement(element('when', [['condition', expression(code('a == b'))]]))).toBe(
      `<when condition='@(a == b)' />\n`,
    );
    for (const bad of ['a < b', 'a && b', "a == 'b'"]) {
      expect(() => renderPolicyElement(element('when', [['condition', expression(code(bad))]]))).toThrow(/not XML-neutral/);
    }
  });

  test('string literals inside expressions survive hostile text and stay XML-neutral', () => {
    const xml = renderPolicyElement(element('when', [['condition', expression(stringLiteral(`'"<&>{{x}}\${y}\\`))]]));
    assertWellFormedXml(xml);
    expect(xml).toBe(
      `<when condition='@("\\u0027\\u0022\\u003C\\u0026\\u003E\\u007B\\u007Bx\\u007D\\u007D\\u0024\\u007By\\u007D\\u005C")' />\n`,
    );
  });

  test('passes Terraform tokens through only when they really are tokens', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const token = new TerraformVariable(stack, 'thumb', { type: 'string' }).stringValue;
    expect(renderPolicyElement(element('identity', [['thumbprint', terraformToken(token)]]))).toBe(`<identity thumbprint="${token}" />\n`);
    expect(() => renderPolicyElement(element('identity', [['thumbprint', terraformToken('ABC')]]))).toThrow(/marked as a Terraform token/);
    expect(() => renderPolicyElement(element('identity', [['thumbprint', literal(token)]]))).toThrow(/unresolved Terraform token/);
  });

  test('refuses element and attribute names that are not policy names', () => {
    expect(() => renderPolicyElement(element('a><b'))).toThrow(PolicyRenderError);
    expect(() => renderPolicyElement(element('a', [['x="1" y', '2']]))).toThrow(PolicyRenderError);
  });
});

describe('PolicyDocument', () => {
  test('has the four sections, each starting with <base />, statements after it', () => {
    const xml = new PolicyDocument({ inbound: [element('marker')] }).render();
    assertWellFormedXml(xml);
    expect(xml).toBe(
      [
        '<policies>',
        '  <inbound>',
        '    <base />',
        '    <marker />',
        '  </inbound>',
        '  <backend>',
        '    <base />',
        '  </backend>',
        '  <outbound>',
        '    <base />',
        '  </outbound>',
        '  <on-error>',
        '    <base />',
        '  </on-error>',
        '</policies>',
        '',
      ].join('\n'),
    );
  });

  test('drops <base /> only when asked to', () => {
    const xml = new PolicyDocument({ inheritBase: false, inbound: [element('marker')] }).render();
    expect(xml).not.toContain('<base />');
    expect(xml).toContain('<backend />');
  });

  test('renders the same input to identical text', () => {
    const make = () => new PolicyDocument({ inbound: [element('a', [['b', 'c']])] }).render();
    expect(make()).toBe(make());
  });
});

describe('verbatim values and element text (what users write)', () => {
  const attribute = (value: string) => renderPolicyElement(element('set-variable', [['value', verbatim(value)]]));

  test('an expression goes into the quote character it does not contain, so XML and rawxml read the same', () => {
    expect(attribute('@(context.Request.Headers.GetValueOrDefault("X-Id", ""))')).toBe(
      `<set-variable value='@(context.Request.Headers.GetValueOrDefault("X-Id", ""))' />\n`,
    );
    expect(attribute("@(context.Variables.GetValueOrDefault<string>('a'))".replace('<string>', ''))).toBe(
      `<set-variable value="@(context.Variables.GetValueOrDefault('a'))" />\n`,
    );
  });

  test('plain text is escaped like a literal and may name APIM named values', () => {
    const xml = attribute('Bearer {{backend-key}} & "quoted"');
    assertWellFormedXml(xml);
    expect(attributesOf(xml, 'set-variable')[0].value).toBe('Bearer {{backend-key}} & "quoted"');
  });

  test.each([
    ['@(a < b)', 'rawxml and XML read differently'],
    ['@(a && b)', 'rawxml and XML read differently'],
    [`@(a == "x" || b == 'y')`, 'both quote characters'],
    ['@(a)@(b)', 'not a complete policy expression'],
    ['@context.Request', 'not a complete policy expression'],
    ['${var.secret}', 'Terraform would interpolate'],
    ['@(x == "%{ if true }")', 'Terraform would interpolate'],
    ['{{not a name}}', 'not a named value reference'],
    ['a\tb', 'line break or tab'],
    ['@(a ==\t b)', 'tab or carriage return'],
    ['bell\u0007', 'control character'],
  ])('refuses %j in an attribute (%s)', (value, reason) => {
    expect(() => attribute(value)).toThrow(PolicyRenderError);
    expect(() => attribute(value)).toThrow(reason);
  });

  test('text content is written inline, escaped, and a statement block keeps its lines', () => {
    expect(renderPolicyElement(textElement('value', [], 'a < b & c'))).toBe('<value>a &lt; b &amp; c</value>\n');
    const block = '@{\n  var id = context.Request.Headers.GetValueOrDefault("X-Id", "none");\n  return id;\n}';
    const xml = renderPolicyElement(element('set-header', [['name', 'X-Id']], [textElement('value', [], verbatim(block))]));
    assertWellFormedXml(xml);
    expect(xml).toBe(`<set-header name="X-Id">\n  <value>${block}</value>\n</set-header>\n`);
  });

  test('text refuses expressions with < or &, carriage returns, tokens and mixed content', () => {
    expect(() => renderPolicyElement(textElement('set-body', [], verbatim('@{ return a < b; }')))).toThrow(/rawxml and XML read differently/);
    expect(() => renderPolicyElement(textElement('value', [], 'a\r\nb'))).toThrow(/carriage return/);
    const stack = new TerraformStack(Testing.app(), 's');
    const token = new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;
    expect(() => renderPolicyElement(textElement('value', [], terraformToken(token)))).toThrow(/cannot be a Terraform token/);
    expect(() => renderPolicyElement({ ...textElement('value', [], 'x'), children: [element('y')] })).toThrow(/both text and child elements/);
  });
});
