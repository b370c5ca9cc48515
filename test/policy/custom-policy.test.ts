import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { ClientCertificateTrust, clientCertificateGate, CustomPolicy, element, renderPolicyElement, STATEMENTS_ALLOWED_BEFORE_GATE, textElement } from '../../src';
import { GateScope, gatedPolicyDocument } from '../../src/policy/gated-policy-document';
import { InvalidCustomPolicyError } from '../../src/policy/policy-xml-sections';
import { terraformToken } from '../../src/policy/policy-element';
import { assertWellFormedXml } from '../support/xml';

const GATE = clientCertificateGate({ trust: ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']) });

function render(customPolicy: CustomPolicy, scope = GateScope.API, routing?: ReturnType<typeof element>[]): string {
  const xml = renderPolicyElement(gatedPolicyDocument({ gate: GATE, scope, customPolicy, routing }));
  assertWellFormedXml(xml);
  return xml;
}

/** The statement names of a section, in order, as one line: `set-variable base validate-client-certificate`. */
function sectionOrder(xml: string, section: string): string {
  const body = new RegExp(`<${section}>([\\s\\S]*?)</${section}>`).exec(xml)?.[1] ?? '';
  return [...body.matchAll(/^ {4}<([a-z-]+)/gm)].map((m) => m[1]).join(' ');
}

const policies = (inbound: string, rest = '') => `<policies><inbound>${inbound}</inbound>${rest}</policies>`;

describe('CustomPolicy.fromXml', () => {
  test('keeps statements before and after <base />, with the gate right after <base />', () => {
    const xml = render(
      CustomPolicy.fromXml(
        policies(
          '<set-variable name="caller" value="@(context.Request.IpAddress)" /><base /><rate-limit calls="100" renewal-period="60" />',
          '<outbound><base /><set-header name="X-Gated" exists-action="override"><value>yes</value></set-header></outbound>',
        ),
      ),
    );
    expect(sectionOrder(xml, 'inbound')).toBe('set-variable base validate-client-certificate rate-limit');
    expect(sectionOrder(xml, 'outbound')).toBe('base set-header');
    expect(sectionOrder(xml, 'backend')).toBe('base');
    expect(xml).toContain(`<set-variable name="caller" value='@(context.Request.IpAddress)' />`);
  });

  test('reads entity-escaped text and rawxml expressions alike, and drops comments', () => {
    const xml = render(
      CustomPolicy.fromXml(
        policies('<base /><!-- tag callers --><set-header name="X-Note" exists-action="override"><value>a &amp; b</value></set-header>'),
      ),
    );
    expect(xml).toContain('<value>a &amp; b</value>');
    expect(xml).not.toContain('tag callers');
  });

  test('keeps a statement block in element text as written', () => {
    const block = '@{\n      var id = context.Request.Headers.GetValueOrDefault("X-Id", "none");\n      return id;\n    }';
    const xml = render(CustomPolicy.fromXml(policies(`<base /><set-header name="X-Id" exists-action="override"><value>\n    ${block}\n  </value></set-header>`)));
    expect(xml).toContain(`<value>${block}</value>`);
  });

  test.each(['return-response', 'mock-response', 'send-request', 'choose', 'include-fragment', 'cors', 'set-backend-service', 'forward-request'])(
    '<%s> before <base /> in <inbound> is refused: it could answer or forward before the gate',
    (name) => {
      const policy = CustomPolicy.fromXml(policies(`<${name} /><base />`));
      expect(() => render(policy)).toThrow(InvalidCustomPolicyError);
      expect(() => render(policy)).toThrow(new RegExp(`<${name}> before <base /> in <inbound> would run before the client-certificate gate.*Move it after <base />.*Before <base /> only these may run: set-variable, `));
    },
  );

  test.each([...STATEMENTS_ALLOWED_BEFORE_GATE])('<%s> may run before <base />', (name) => {
    expect(sectionOrder(render(CustomPolicy.fromXml(policies(`<${name} /><base />`))), 'inbound')).toBe(`${name} base validate-client-certificate`);
  });

  test.each([
    ['inbound', policies('<rate-limit calls="1" renewal-period="1" />')],
    ['outbound', policies('<base />', '<outbound><set-header name="a" exists-action="delete" /></outbound>')],
    ['on-error', policies('<base />', '<on-error><set-header name="a" exists-action="delete" /></on-error>')],
  ])('a <%s> without <base /> is refused at API and product scope', (section, xml) => {
    for (const scope of [GateScope.API, GateScope.PRODUCT]) {
      expect(() => render(CustomPolicy.fromXml(xml), scope)).toThrow(new RegExp(`<${section}> has no <base />, so the ${section} policies of the enclosing scopes .* would not run.*Add <base /> to <${section}>`));
    }
  });

  test.each([
    ['a document that is not XML', '<policies><inbound>', /^customPolicy \(XML\): cannot be read: /],
    ['another root element', '<inbound><base /></inbound>', /has the root element <inbound>/],
    ['an unknown section', '<policies><inbound><base /></inbound><errors /></policies>', /contains <errors> \(line 1\)/],
    ['a section twice', '<policies><inbound><base /></inbound><inbound><base /></inbound></policies>', /contains <inbound> twice/],
    ['<base /> twice', policies('<base /><base />'), /<base \/> 2 times/],
    ['<base /> nested in a statement', policies('<base /><choose><when condition="true"><base /></when></choose>'), /must be a direct child of its section/],
    ['mixed text and elements', policies('<base /><set-header name="a" exists-action="override">x<value>y</value></set-header>'), /mixes text and elements/],
    ['an element name that is not a policy name', policies('<base /><SetHeader />'), /<SetHeader> \(line 1\) is not a policy element name/],
    ['Terraform interpolation', policies('<base /><set-header name="a" exists-action="override"><value>${var.secret}</value></set-header>'), /Terraform would interpolate/],
    ['an expression that is not XML-neutral', policies('<base /><set-variable name="a" value="@(1 &lt; 2)" />'), /rawxml and XML read differently/],
    ['an empty document', ' ', /is empty/],
  ])('%s is refused with a message', (_label, xml, message) => {
    expect(() => render(CustomPolicy.fromXml(xml))).toThrow(message);
  });

  test('fromXmlFile reads the file at synth and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custom-policy-'));
    const file = join(dir, 'policy.xml');
    writeFileSync(file, policies('<base /><rate-limit calls="5" renewal-period="10" />'));
    expect(sectionOrder(render(CustomPolicy.fromXmlFile(file)), 'inbound')).toBe('base validate-client-certificate rate-limit');
    expect(() => render(CustomPolicy.fromXmlFile(join(dir, 'missing.xml')))).toThrow(/^customPolicy \(file ".*missing.xml"\): cannot be read \(ENOENT\)/);
  });
});

describe('CustomPolicy.fromStatements', () => {
  test('puts every section\'s statements after <base />, inbound ones after the gate', () => {
    const xml = render(
      CustomPolicy.fromStatements({
        inbound: [element('rate-limit', [['calls', 10], ['renewal-period', 60]])],
        backend: [element('forward-request', [['timeout', 30]])],
        outbound: [element('set-header', [['name', 'X-A'], ['exists-action', 'override']], [textElement('value', [], 'b')])],
        onError: [element('set-header', [['name', 'X-B'], ['exists-action', 'delete']])],
      }),
    );
    expect(['inbound', 'backend', 'outbound', 'on-error'].map((s) => sectionOrder(xml, s))).toEqual([
      'base validate-client-certificate rate-limit',
      'base forward-request',
      'base set-header',
      'base set-header',
    ]);
  });

  test('a Terraform token in a statement is refused: its value could change the policy\'s structure', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const token = new TerraformVariable(stack, 'v', { type: 'string' }).stringValue;
    const policy = CustomPolicy.fromStatements({ inbound: [element('set-header', [['name', terraformToken(token)]])] });
    expect(() => render(policy)).toThrow(/<set-header> holds a Terraform token/);
  });
});

describe('routing and the global scope', () => {
  test('with the construct routing, a set-backend-service of the user is refused, even nested', () => {
    const routing = [element('set-backend-service', [['base-url', 'https://a.example.com']])];
    const policy = CustomPolicy.fromXml(policies('<base /><choose><when condition="true"><set-backend-service base-url="https://other.example.com" /></when></choose>'));
    expect(() => render(policy, GateScope.API, routing)).toThrow(/<set-backend-service> in <inbound> would override where the construct routes/);
    // <backend> runs after <inbound>: rerouting there would send admitted requests, and the client certificate, elsewhere.
    const inBackend = CustomPolicy.fromXml(policies('<base />', '<backend><base /><set-backend-service base-url="https://elsewhere.example.com" /></backend>'));
    expect(() => render(inBackend, GateScope.API, routing)).toThrow(/<set-backend-service> in <backend> would override where the construct routes admitted requests .* and send its client certificate there/);
    expect(sectionOrder(render(CustomPolicy.fromXml(policies('<base /><rate-limit calls="1" renewal-period="1" />')), GateScope.API, routing), 'inbound')).toBe(
      'base validate-client-certificate rate-limit set-backend-service',
    );
  });

  test('the global policy has no <base /> and forwards the request itself', () => {
    const xml = renderPolicyElement(gatedPolicyDocument({ gate: GATE, scope: GateScope.SERVICE }));
    expect(['inbound', 'backend', 'outbound', 'on-error'].map((s) => sectionOrder(xml, s))).toEqual(['validate-client-certificate', 'forward-request', '', '']);
  });

  test('a global backend section of the user must still forward the request', () => {
    expect(() => render(CustomPolicy.fromXml(policies('', '<backend><set-header name="a" exists-action="delete" /></backend>')), GateScope.SERVICE)).toThrow(
      /the global <backend> section has no <forward-request \/>/,
    );
    const xml = render(CustomPolicy.fromXml(policies('<rate-limit calls="1" renewal-period="1" />', '<backend><forward-request timeout="20" /></backend>')), GateScope.SERVICE);
    expect(sectionOrder(xml, 'inbound')).toBe('validate-client-certificate rate-limit');
    expect(sectionOrder(xml, 'backend')).toBe('forward-request');
  });
});
