import { DataAzurermKeyVaultCertificate } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-certificate';
import { Fn, Lazy, TerraformLocal, TerraformStack, TerraformVariable, Token } from 'cdktf';
import {
  CertificateSource,
  ClientCertGatedApi,
  ClientCertGatedApiProps,
  ClientCertificateTrust,
  GateStyle,
  MutualTlsBackend,
  simulatePolicy,
  SimulatedOutcome,
  UploadedCertificate,
} from '../../../src';
import { testPki } from '../../policy/simulator/fixtures';
import { newService, newStack, onlyResource, synthJson } from '../../support/stack';
import { evaluateTemplate, TerraformPlanError } from '../../support/terraform-evaluation';
import { attributesOf, xmlShape } from '../../support/xml';
import { issueCertificate } from '../../support/x509';

/*
 * Attacks on the way Terraform values reach a policy. Each test name states the attempt and the
 * verdict expected before it was run: refused at synth (the message names the construct path and
 * the value), the plan fails (proved by evaluating the template as Terraform would), or the
 * value is data and the policy's shape is unchanged (proved with the simulator).
 */

const pki = testPki();
const T = pki.trusted.thumbprint;
const OTHER_THUMBPRINT = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
/** A caller no policy here trusts; a successful injection would admit it. */
const anyone = issueCertificate({ subject: 'CN=anyone' });

/** A value that closes the guarded thumbprint attribute and adds an identity for CN=anyone. */
const IDENTITY_BREAKOUT = `"${T}"))}" /><identity subject="CN=anyone" /><identity thumbprint="\${regex("^[0-9A-F]{40}$", upper("${T}"`;

/** Terraform values that try to leave the C# literal or the XML attribute of a thumbprint. */
const HOSTILE_THUMBPRINTS = [`${T}" || true || "`, `${T}" /><identity subject="CN=anyone`, `${T}' || true || '`, `@(true)`, '{{thumbprint}}'];

function api(stack: TerraformStack, props: Partial<ClientCertGatedApiProps>, id = 'Api'): ClientCertGatedApi {
  return new ClientCertGatedApi(stack, id, {
    apiManagement: newService(stack),
    displayName: 'Partner',
    path: 'partner',
    serviceUrl: 'https://orders.example.com',
    trust: ClientCertificateTrust.thumbprints([OTHER_THUMBPRINT]),
    ...props,
  });
}

function policyOf(stack: TerraformStack): string {
  return onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').xml_content;
}

/** The policy of an API built with props that may use the stack's `string` variable `v`. */
function policyWith(props: (stack: TerraformStack, v: string) => Partial<ClientCertGatedApiProps>): string {
  const stack = newStack();
  const variable = new TerraformVariable(stack, 'v', { type: 'string' });
  api(stack, props(stack, variable.stringValue));
  return policyOf(stack);
}

function synthError(build: (stack: TerraformStack) => void): string {
  const stack = newStack();
  try {
    build(stack);
    synthJson(stack);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synth to fail');
}

/** Only the trusted certificate is forwarded; anyone else, an unknown twin and no certificate are rejected. */
function expectAdmitsOnlyTrusted(policy: string): void {
  expect(simulatePolicy(policy, { clientCertificate: pki.trusted.x509 })).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, notSimulated: [] });
  for (const other of [anyone, pki.unknown]) expect(simulatePolicy(policy, { clientCertificate: other.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
  expect(simulatePolicy(policy, {}).outcome).toBe(SimulatedOutcome.REJECTED);
}

describe('tokens that cdktf writes as raw Terraform code, not as a reference', () => {
  const rawTokens: ReadonlyArray<readonly [string, (text: string) => string]> = [
    ['a Lazy value', (text) => Lazy.stringValue({ produce: () => text })],
    ['a custom IResolvable', (text) => Token.asString({ resolve: () => text, creationStack: [], toString: () => text })],
    ['Token.asAny of a string', (text) => Token.asString(Token.asAny(text))],
  ];

  test.each(rawTokens)('%s as a thumbprint that closes the identity element is refused at synth, naming the construct and the value', (_label, token) => {
    const message = synthError((stack) => api(stack, { trust: ClientCertificateTrust.thumbprints([token(IDENTITY_BREAKOUT)]) }));
    expect(message).toMatch(/^Resolution error: test\/Api: a thumbprint given as a token is written into Terraform as /);
    expect(message).toContain('identity subject=\\"CN=anyone');
    expect(message).toContain('Pass a Terraform reference');
  });

  test('a Lazy thumbprint that rewrites the comparison of an expression gate is refused at synth', () => {
    const rewrite = `"${T}")) == "" ? "" : upper(("${T}"`;
    const message = synthError((stack) =>
      api(stack, { gateStyle: GateStyle.EXPRESSION, trust: ClientCertificateTrust.thumbprints([Lazy.stringValue({ produce: () => rewrite })]) }),
    );
    expect(message).toMatch(/^Resolution error: test\/Api: a thumbprint given as a token .* closes a "\)" it did not open/);
  });

  test('a Lazy serviceUrl that adds a second set-backend-service is refused at synth', () => {
    const second = '"https://orders.example.com")}" /><set-backend-service base-url="${regex("^https://.*$", "https://evil.example/"';
    const message = synthError((stack) => api(stack, { serviceUrl: Lazy.stringValue({ produce: () => second }) }));
    expect(message).toMatch(/^Resolution error: test\/Api: a URL given as a token is written into Terraform as .*evil\.example/);
  });

  test('a Lazy backend url that replaces the guard with a conditional is refused at synth', () => {
    const conditional = '"https://orders.example.com") == "" ? "" : ("https://evil.example/?next=x"';
    const message = synthError((stack) => {
      const apim = newService(stack);
      const certificate = new UploadedCertificate(stack, 'Client', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client') });
      new MutualTlsBackend(stack, 'Backend', { apiManagement: apim, url: Lazy.stringValue({ produce: () => conditional }), clientCertificate: certificate });
    });
    expect(message).toMatch(/^Resolution error: test\/Backend\/Backend: a URL given as a token .* closes a "\)" it did not open/);
  });

  test('an object whose key closes the regex() call (Token.asString of an object) is refused at synth', () => {
    const key = `a" = 1})) == "" ? "${T}" : upper(({"b`;
    const message = synthError((stack) => api(stack, { trust: ClientCertificateTrust.thumbprints([Token.asString({ [key]: 1 })]) }));
    expect(message).toMatch(/^Resolution error: test\/Api: a thumbprint given as a token is written into Terraform as .*, which closes a "\)" it did not open/);
  });

  test('a Lazy value that resolves to a variable reference is guarded like the variable: a hostile value fails the plan, the real one admits only it', () => {
    const policy = policyWith((_s, v) => ({ trust: ClientCertificateTrust.thumbprints([Lazy.stringValue({ produce: () => v })]) }));
    for (const value of HOSTILE_THUMBPRINTS) expect(() => evaluateTemplate(policy, { v: value })).toThrow(TerraformPlanError);
    expectAdmitsOnlyTrusted(evaluateTemplate(policy, { v: T }));
  });
});

describe('every kind of Terraform reference to a thumbprint is guarded', () => {
  const kinds: ReadonlyArray<readonly [string, (stack: TerraformStack, v: string) => { thumbprint: string; values: (value: string) => Record<string, string> }]> = [
    ['a local', (stack, v) => ({ thumbprint: new TerraformLocal(stack, 'partner_thumbprint', v).asString, values: (value) => ({ 'local.partner_thumbprint': value }) })],
    [
      'a data source attribute',
      (stack) => {
        const data = new DataAzurermKeyVaultCertificate(stack, 'partner', { name: 'partner', keyVaultId: 'kv' });
        return { thumbprint: data.thumbprint, values: (value) => ({ 'data.azurerm_key_vault_certificate.partner.thumbprint': value }) };
      },
    ],
    ['a Fn.lower() result', (_stack, v) => ({ thumbprint: Fn.lower(v), values: (value) => ({ v: value }) })],
    ['hex digits followed by a variable', (_stack, v) => ({ thumbprint: `${T.slice(0, 8)}${v}`, values: (value) => ({ v: value.startsWith(T.slice(0, 8)) ? value.slice(8) : value }) })],
    ['Token.asString of a number variable', (stack) => ({ thumbprint: Token.asString(new TerraformVariable(stack, 'n', { type: 'number' }).numberValue), values: (value) => ({ n: value }) })],
  ];

  test.each(kinds)('%s: values that leave the attribute or the C# literal fail the plan; the real thumbprint admits only its certificate', (_label, kind) => {
    for (const style of [GateStyle.VALIDATE_POLICY, GateStyle.EXPRESSION]) {
      const stack = newStack();
      const variable = new TerraformVariable(stack, 'v', { type: 'string' });
      const { thumbprint, values } = kind(stack, variable.stringValue);
      api(stack, { gateStyle: style, trust: ClientCertificateTrust.thumbprints([thumbprint]) });
      const policy = policyOf(stack);
      for (const value of HOSTILE_THUMBPRINTS) expect(() => evaluateTemplate(policy, values(value))).toThrow(TerraformPlanError);
      expectAdmitsOnlyTrusted(evaluateTemplate(policy, values(T)));
    }
  });

  test('an object given as a thumbprint (Token.asString of an object) fails the plan: upper() takes no object', () => {
    const policy = policyWith((_s, v) => ({ trust: ClientCertificateTrust.thumbprints([Token.asString({ thumbprint: v })]) }));
    expect(() => evaluateTemplate(policy, { v: T })).toThrow(TerraformPlanError);
  });

  test('a list token given as a thumbprint is refused at synth, naming the construct', () => {
    const message = synthError((stack) => {
      const list = new TerraformVariable(stack, 'thumbprints', { type: 'list(string)' });
      api(stack, { trust: ClientCertificateTrust.thumbprints(Token.asList(list.listValue)) });
    });
    expect(message).toMatch(/^test\/Api: .* is not a SHA-1 certificate thumbprint/);
  });

  test('a number token given as a thumbprint is refused at synth with a message naming the construct and the fix', () => {
    const message = synthError((stack) => {
      const number = new TerraformVariable(stack, 'n', { type: 'number' });
      api(stack, { trust: ClientCertificateTrust.thumbprints([number.numberValue as unknown as string]) });
    });
    expect(message).toMatch(/^test\/Api: .*thumbprint.*Token\.asString/);
  });

  test('a number token as the thumbprint of a trusted certificate is refused at synth the same way', () => {
    const message = synthError((stack) => {
      const number = new TerraformVariable(stack, 'n', { type: 'number' });
      api(stack, { trust: ClientCertificateTrust.certificates([{ certificateId: 'partner', thumbprint: number.numberValue as unknown as string }]) });
    });
    expect(message).toMatch(/^test\/Api: certificate "partner" has a thumbprint that is not a string.*Token\.asString/);
  });

  test.each([
    ['1 MB of hex digits', 'A'.repeat(1024 * 1024)],
    ['a NUL inside', `${T.slice(0, 20)}\u0000${T.slice(20)}`],
    ['a right-to-left override inside', `${T.slice(0, 20)}\u202E${T.slice(20)}`],
    ['a zero-width space at the end', `${T}\u200B`],
  ])('a thumbprint variable holding %s fails the plan', (_label, value) => {
    const policy = policyWith((_s, v) => ({ trust: ClientCertificateTrust.thumbprints([v]) }));
    expect(() => evaluateTemplate(policy, { v: value })).toThrow(TerraformPlanError);
  });

  test('a variable followed by C# text in one thumbprint string is refused at synth', () => {
    const message = synthError((stack) => {
      const variable = new TerraformVariable(stack, 'v', { type: 'string' });
      api(stack, { trust: ClientCertificateTrust.thumbprints([`${variable.stringValue}" || true || "`]) });
    });
    expect(message).toMatch(/^test\/Api: a thumbprint mixes a Terraform value with the text .* Pass the Terraform value alone/);
  });

  test.each([['an interpolation', '${var.partner}'], ['an escaped interpolation', '$${var.partner}'], ['a directive', '%{if true}AB%{endif}']])(
    'literal text holding %s is refused as a thumbprint',
    (_label, text) => {
      const message = synthError((stack) => api(stack, { trust: ClientCertificateTrust.thumbprints([text]) }));
      expect(message).toMatch(/^test\/Api: .* is not a SHA-1 certificate thumbprint/);
      expect(message).toContain(JSON.stringify(text));
    },
  );

  test('the thumbprint of a certificate this library uploads stays a plain reference through Token.asString', () => {
    const stack = newStack();
    const apim = newService(stack);
    const certificate = new UploadedCertificate(stack, 'Gateway', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway') });
    new ClientCertGatedApi(stack, 'Api', {
      apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', gateStyle: GateStyle.EXPRESSION,
      trust: ClientCertificateTrust.certificates([{ certificateId: 'gateway-copy', thumbprint: Token.asString(certificate.thumbprint) }]),
    });
    const policy = policyOf(stack);
    expect(policy).toMatch(/Thumbprint != "\$\{azurerm_api_management_certificate\.\w+\.thumbprint\}"/);
    expect(policy).not.toContain('regex(');
  });
});

describe('URLs with Terraform values', () => {
  test('a variable inside the host: a host that closes the attribute fails the plan; a real host routes there', () => {
    const policy = policyWith((_s, v) => ({ serviceUrl: `https://${v}/api` }));
    for (const host of ['orders.example.com" /><set-backend-service base-url="https://evil.example', 'evil.example/api?x=', 'orders.example.com@evil.example', 'x}{{nv}}']) {
      expect(() => evaluateTemplate(policy, { v: host })).toThrow(TerraformPlanError);
    }
    const routed = evaluateTemplate(policy, { v: 'orders.internal.example.com' });
    expect(simulatePolicy(routed, { clientCertificate: anyone.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
    expect(attributesOf(routed, 'set-backend-service')).toEqual([{ 'base-url': 'https://orders.internal.example.com/api' }]);
  });

  test('a literal {{named value}} next to a variable fails the plan', () => {
    const policy = policyWith((_s, v) => ({ serviceUrl: `https://orders.example.com/{{path}}/${v}` }));
    expect(() => evaluateTemplate(policy, { v: 'api' })).toThrow(TerraformPlanError);
  });

  test('a literal %{ directive next to a variable is refused at synth as serviceUrl, as its literal twin is', () => {
    const message = synthError((stack) => {
      const variable = new TerraformVariable(stack, 'v', { type: 'string' });
      api(stack, { serviceUrl: `https://orders.example.com/%{ if true }admin%{ endif }/${variable.stringValue}` });
    });
    expect(message).toMatch(/^Resolution error: test\/Api: a URL given as a token .* holds a template directive/);
  });

  test('a literal %{ directive next to a variable is refused at synth as a backend url', () => {
    const message = synthError((stack) => {
      const variable = new TerraformVariable(stack, 'v', { type: 'string' });
      const apim = newService(stack);
      const certificate = new UploadedCertificate(stack, 'Client', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client') });
      new MutualTlsBackend(stack, 'Backend', { apiManagement: apim, url: `https://orders.example.com/%{ if true }admin%{ endif }/${variable.stringValue}`, clientCertificate: certificate });
    });
    expect(message).toMatch(/^Resolution error: test\/Backend\/Backend: a URL given as a token .* holds a template directive/);
  });

  test('a backend url from a data source attribute is guarded: a value with a query fails the plan, a plain URL passes', () => {
    const stack = newStack();
    const apim = newService(stack);
    const data = new DataAzurermKeyVaultCertificate(stack, 'endpoint', { name: 'endpoint', keyVaultId: 'kv' });
    const certificate = new UploadedCertificate(stack, 'Client', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client') });
    new MutualTlsBackend(stack, 'Backend', { apiManagement: apim, url: data.secretId, clientCertificate: certificate });
    const url: string = onlyResource(synthJson(stack), 'azurerm_api_management_backend').url;
    const reference = 'data.azurerm_key_vault_certificate.endpoint.secret_id';
    expect(() => evaluateTemplate(url, { [reference]: 'https://orders.example.com/api?next=https://evil.example' })).toThrow(TerraformPlanError);
    expect(evaluateTemplate(url, { [reference]: 'https://orders.example.com/api' })).toBe('https://orders.example.com/api');
  });
});

describe('text that must be literal', () => {
  test.each([
    ['issuer', '${var.issuer}'],
    ['issuer', 'CN=Contoso $${x}'],
    ['subject', 'CN=partner %{if true}x%{endif}'],
    ['issuer', 'CN={{partner-ca}}'],
  ] as const)('%s %s is refused at synth, naming the construct and the value', (what, value) => {
    const message = synthError((stack) => api(stack, { [what]: value }));
    expect(message).toMatch(new RegExp(`^test/Api: ${what} `));
    expect(message).toContain(JSON.stringify(value));
  });

  test('an issuer longer than 1024 characters is refused at synth', () => {
    expect(synthError((stack) => api(stack, { issuer: `CN=${'x'.repeat(1100)}` }))).toMatch(/^test\/Api: issuer is 1103 characters long/);
  });

  test('a subject that closes the identity element is data: the validate policy keeps its shape and admits nobody with another subject', () => {
    const benign = policyWith(() => ({ trust: ClientCertificateTrust.thumbprints([T]), subject: 'CN=partner-a, O=Partner A' }));
    const hostileSubject = `CN=x" /><identity thumbprint="${T}`;
    const hostile = policyWith(() => ({ trust: ClientCertificateTrust.thumbprints([T]), subject: hostileSubject }));
    expect(xmlShape(hostile)).toEqual(xmlShape(benign));
    expect(attributesOf(hostile, 'identity')).toEqual([{ thumbprint: T, subject: hostileSubject }]);
    expect(simulatePolicy(hostile, { clientCertificate: pki.trusted.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
    expect(simulatePolicy(hostile, { clientCertificate: anyone.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
  });

  test.each([
    ['a C# escaped quote', 'CN=x\\" || true || \\"'],
    ['a C# unicode escape for a quote', 'CN=x\\u0022 || true || \\u0022'],
    ['a policy expression in the middle', 'CN=@(true), O=x'],
  ])('a subject holding %s is data in an expression gate: same shape, only that exact subject admitted', (_label, subject) => {
    const props = (s: string) => () => ({ gateStyle: GateStyle.EXPRESSION, trust: ClientCertificateTrust.thumbprints([T]), subject: s });
    const hostile = policyWith(props(subject));
    expect(xmlShape(hostile)).toEqual(xmlShape(policyWith(props('CN=partner-a, O=Partner A'))));
    expect(simulatePolicy(hostile, { clientCertificate: pki.trusted.x509 })).toMatchObject({ outcome: SimulatedOutcome.REJECTED, notSimulated: [] });
  });

  test('a rejectReason with both quotes, < and & is escaped: same shape, and it reads back as written', () => {
    const reason = `Denied' " <b> & co`;
    const hostile = policyWith(() => ({ gateStyle: GateStyle.EXPRESSION, rejectReason: reason }));
    expect(xmlShape(hostile)).toEqual(xmlShape(policyWith(() => ({ gateStyle: GateStyle.EXPRESSION }))));
    expect(attributesOf(hostile, 'set-status')).toEqual([{ code: '401', reason }]);
  });

  test.each([
    ['a line break', 'Denied\r\n<set-status code="200" />'],
    ['a NUL', 'Denied\u0000'],
    ['a leading @', '@(context.Request.Certificate.Subject)'],
    ['a named value', 'Denied {{reason}}'],
    ['10,000 characters', 'x'.repeat(10000)],
  ])('a rejectReason with %s is refused at synth', (_label, reason) => {
    expect(synthError((stack) => api(stack, { gateStyle: GateStyle.EXPRESSION, rejectReason: reason }))).toMatch(/^test\/Api: rejectReason /);
  });

  test('a rejectReason with a right-to-left override is refused at synth, as issuer and subject are', () => {
    expect(synthError((stack) => api(stack, { gateStyle: GateStyle.EXPRESSION, rejectReason: 'Denied \u202E"=eulav' }))).toMatch(/^test\/Api: rejectReason .*U\+202E/);
  });

  test('a number token as rejectStatusCode is refused at synth, naming the construct', () => {
    const message = synthError((stack) => {
      const code = new TerraformVariable(stack, 'code', { type: 'number' });
      api(stack, { gateStyle: GateStyle.EXPRESSION, rejectStatusCode: code.numberValue });
    });
    expect(message).toMatch(/^test\/Api: rejectStatusCode .* is not a client error status/);
  });

  test('a certificate id that tries to end its C# literal stays one literal: only the certificate under that exact id is admitted', () => {
    const id = 'kv-client" || true || "';
    const policy = policyWith(() => ({ trust: ClientCertificateTrust.certificates([{ certificateId: id, thumbprint: T, rotatesOutsideTerraform: true }]) }));
    expect(simulatePolicy(policy, { clientCertificate: pki.trusted.x509, uploadedCertificates: { [id]: pki.trusted.x509 } }).outcome).toBe(SimulatedOutcome.FORWARDED);
    expect(simulatePolicy(policy, { clientCertificate: anyone.x509, uploadedCertificates: { [id]: pki.trusted.x509, other: anyone.x509 } }).outcome).toBe(SimulatedOutcome.REJECTED);
    expect(simulatePolicy(policy, { clientCertificate: pki.trusted.x509, uploadedCertificates: { 'kv-client': pki.trusted.x509 } }).outcome).toBe(SimulatedOutcome.REJECTED);
  });

  test.each([
    ['an API name', (v: string) => ({ name: v }), /^test\/Api: name "\$\{TfToken\[TOKEN\.\d+\]\}" is not a valid API name/],
    ['a displayName', (v: string) => ({ displayName: v }), /^test\/Api: displayName "\$\{TfToken\[TOKEN\.\d+\]\}" is not usable/],
    ['an API path', (v: string) => ({ path: v }), /^test\/Api: path "\$\{TfToken\[TOKEN\.\d+\]\}" may contain only/],
  ])('%s from a token is refused at synth, naming the construct', (_label, props, message) => {
    expect(synthError((stack) => api(stack, props(new TerraformVariable(stack, 'v', { type: 'string' }).stringValue)))).toMatch(message);
  });

  test('a displayName with a right-to-left override is refused at synth, as names in policies are', () => {
    expect(synthError((stack) => api(stack, { displayName: 'Orders \u202Enimda' }))).toMatch(/^test\/Api: displayName .*U\+202E/);
  });

  test('a certificate name from a token is refused at synth, naming the construct', () => {
    const message = synthError((stack) => {
      const name = new TerraformVariable(stack, 'name', { type: 'string' });
      new UploadedCertificate(stack, 'Gateway', { apiManagement: newService(stack), name: name.stringValue, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway') });
    });
    expect(message).toMatch(/^test\/Gateway: name "\$\{TfToken\[TOKEN\.\d+\]\}" is not a valid certificate name/);
  });

  test('a Key Vault secret id from a token is a reference on the certificate; the gate matches the literal certificate id, shape unchanged', () => {
    const build = (secretId: (stack: TerraformStack) => string) => {
      const stack = newStack();
      const apim = newService(stack);
      const certificate = new UploadedCertificate(stack, 'Gateway', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret(secretId(stack)) });
      new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.certificates([certificate]) });
      return synthJson(stack);
    };
    const fromToken = build((stack) => new TerraformVariable(stack, 'secret_id', { type: 'string' }).stringValue);
    const literal = build(() => 'https://contoso-kv.vault.azure.net/secrets/gateway');
    expect(onlyResource(fromToken, 'azurerm_api_management_certificate').key_vault_secret_id).toBe('${var.secret_id}');
    const policy = onlyResource(fromToken, 'azurerm_api_management_api_policy').xml_content;
    expect(policy).toBe(onlyResource(literal, 'azurerm_api_management_api_policy').xml_content);
    expect(simulatePolicy(policy, { clientCertificate: anyone.x509, uploadedCertificates: { gateway: pki.trusted.x509 } }).outcome).toBe(SimulatedOutcome.REJECTED);
  });

  test('a Key Vault secret id holding ${ is refused at synth, naming the construct and the value', () => {
    const secretId = 'https://contoso-kv.vault.azure.net/secrets/${var.name}';
    const message = synthError((stack) => new UploadedCertificate(stack, 'Gateway', { apiManagement: newService(stack), source: CertificateSource.fromKeyVaultSecret(secretId) }));
    expect(message).toMatch(/^test\/Gateway: Key Vault secret id /);
    expect(message).toContain(JSON.stringify(secretId));
  });
});
