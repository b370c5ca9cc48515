import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import {
  code,
  element,
  expression,
  literal,
  PolicyDocument,
  PolicyRenderError,
  renderPolicyElement,
  stringLiteral,
  terraformToken,
} from '../../src';
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
