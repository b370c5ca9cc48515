import { TerraformStack, TerraformVariable } from 'cdktf';
import {
  CertificateSource,
  ClientCertGatedApi,
  ClientCertGatedApiProps,
  ClientCertificateTrust,
  GateStyle,
  MutualTlsBackend,
  Secret,
  simulatePolicy,
  SimulatedOutcome,
  UploadedCertificate,
} from '../../src';
import { GUARDED_THUMBPRINT_PATTERN, GUARDED_URL_PATTERN } from '../../src/policy/terraform-guard';
import { testPki } from './simulator/fixtures';
import { writePfx } from '../support/pfx';
import { newService, newStack, onlyResource, synthJson } from '../support/stack';
import { evaluateTemplate, TerraformPlanError } from '../support/terraform-evaluation';
import { issueCertificate } from '../support/x509';

/*
 * A thumbprint or URL known only when Terraform evaluates it (a variable, a data source) reaches
 * a policy only through a regex() guard. These tests render the policy, let an emulation of
 * Terraform evaluate it with hostile values (each must fail the plan) and with a legitimate one
 * (the policy must then admit exactly that certificate, or route to exactly that URL).
 */

const pki = testPki();
const T = pki.trusted.thumbprint;

/** Values an attacker, or a careless pipeline, could put into the variable. */
const THUMBPRINT_ATTACKS: ReadonlyArray<readonly [string, string]> = [
  ['a C# literal breakout (expression style)', `${T}" || true || "" == "`],
  ['a C# literal breakout with &&', `${T}" && false && "" == "`],
  ['an identity element breakout (validate style)', `${T}" /><identity subject="CN=anyone`],
  ['a closed validate-client-certificate', `${T}" /></identities></validate-client-certificate><set-variable name="x" value="`],
  ['a single-quoted attribute breakout', `${T}' || true || '`],
  ['a policy expression', '@(true)'],
  ['a named value', '{{partner-thumbprint}}'],
  ['a trailing newline', `${T}\n`],
  ['a leading space', ` ${T}`],
  ['two thumbprints', `${T}${T}`],
  ['colon separators', T.replace(/(..)(?!$)/g, '$1:')],
  ['39 digits', T.slice(1)],
  ['41 digits', `${T}0`],
  ['fullwidth digits', T.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ['a Terraform interpolation', '${var.other}'],
  ['an empty value', ''],
];

function gateWithVariable(props: (value: string) => Partial<ClientCertGatedApiProps>): { xml: string; stack: TerraformStack } {
  const stack = newStack();
  const variable = new TerraformVariable(stack, 'partner_thumbprint', { type: 'string' });
  new ClientCertGatedApi(stack, 'PartnerApi', {
    apiManagement: newService(stack),
    displayName: 'Partner',
    path: 'partner',
    serviceUrl: 'https://orders.example.com',
    trust: ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']),
    ...props(variable.stringValue),
  });
  return { xml: onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').xml_content, stack };
}

describe.each([
  ['thumbprints([var]) in a validate-client-certificate gate', (v: string) => ({ trust: ClientCertificateTrust.thumbprints([v]) })],
  ['thumbprints([var]) in an expression gate', (v: string) => ({ trust: ClientCertificateTrust.thumbprints([v]), gateStyle: GateStyle.EXPRESSION })],
  ['certificates([{ thumbprint: var }]) in a validate-client-certificate gate', (v: string) => ({ trust: ClientCertificateTrust.certificates([{ certificateId: 'partner', thumbprint: v }]) })],
  ['certificates([{ thumbprint: var }]) in an expression gate', (v: string) => ({ trust: ClientCertificateTrust.certificates([{ certificateId: 'partner', thumbprint: v }]), gateStyle: GateStyle.EXPRESSION })],
])('a thumbprint from a Terraform variable: %s', (_label, props) => {
  const { xml } = gateWithVariable(props);

  test('is written only inside regex() on its upper-cased value', () => {
    expect(xml).toContain(`\${regex("${GUARDED_THUMBPRINT_PATTERN}", upper(var.partner_thumbprint))}`);
    expect(xml.match(/\$\{/g)).toHaveLength(1);
  });

  test.each(THUMBPRINT_ATTACKS)('%s fails the plan', (_attack, value) => {
    expect(() => evaluateTemplate(xml, { partner_thumbprint: value })).toThrow(TerraformPlanError);
  });

  test('a legitimate value in lower case admits exactly that certificate', () => {
    const policy = evaluateTemplate(xml, { partner_thumbprint: T.toLowerCase() });
    expect(simulatePolicy(policy, { clientCertificate: pki.trusted.x509 })).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, notSimulated: [] });
    for (const other of [pki.unknown, pki.wrongSubject, pki.selfSigned]) {
      expect(simulatePolicy(policy, { clientCertificate: other.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
    }
    expect(simulatePolicy(policy, {}).outcome).toBe(SimulatedOutcome.REJECTED);
  });
});

describe('the thumbprint attribute of a certificate this library uploads', () => {
  function uninspectedCertificate(stack: TerraformStack) {
    const password = new TerraformVariable(stack, 'pfx_password', { type: 'string', sensitive: true });
    const file = writePfx(issueCertificate({ subject: 'CN=partner' }), { password: 'pfx-password' });
    return new UploadedCertificate(stack, 'Partner', {
      apiManagement: newService(stack),
      source: CertificateSource.fromPfxFile(file, { password: Secret.fromTerraformVariable(password) }),
    });
  }

  test('stays a plain reference, also when passed through an object of the caller', () => {
    const stack = newStack();
    const certificate = uninspectedCertificate(stack);
    new ClientCertGatedApi(stack, 'Api', {
      apiManagement: certificate.apiManagement, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com', gateStyle: GateStyle.EXPRESSION,
      trust: ClientCertificateTrust.certificates([certificate, { certificateId: 'copy', thumbprint: `${certificate.thumbprint}` }]),
    });
    const json = synthJson(stack);
    const [key] = Object.keys(json.resource.azurerm_api_management_certificate);
    const xml: string = onlyResource(json, 'azurerm_api_management_api_policy').xml_content;
    expect(xml).toContain(`context.Request.Certificate.Thumbprint != "\${azurerm_api_management_certificate.${key}.thumbprint}"`);
    expect(xml).not.toContain('regex(');
  });

  test('is guarded as soon as hex digits are added to it, and refused with any other text', () => {
    const stack = newStack();
    const certificate = uninspectedCertificate(stack);
    const gated = (thumbprint: string) => () =>
      new ClientCertGatedApi(stack, `Api${stack.node.children.length}`, {
        apiManagement: certificate.apiManagement, displayName: 'A', path: `a${stack.node.children.length}`, serviceUrl: 'https://a.example.com', gateStyle: GateStyle.EXPRESSION,
        trust: ClientCertificateTrust.certificates([{ certificateId: 'forged', thumbprint }]),
      });
    expect(gated(`${certificate.thumbprint}" || true || "`)).toThrow(
      /^test\/Api\d+: a thumbprint mixes a Terraform value with the text "\\" \|\| true \|\| \\"", which can never be part of a thumbprint\. Pass the Terraform value alone/,
    );
    gated(`${certificate.thumbprint}AB`)();
    const xml: string = Object.values<any>(synthJson(stack).resource.azurerm_api_management_api_policy)[0].xml_content;
    expect(xml).toMatch(/"\$\{regex\("\^\[0-9A-F\]\{40\}\$", upper\("\$\{azurerm_api_management_certificate\.\w+\.thumbprint\}AB"\)\)\}"/);
  });
});

describe('a URL from a Terraform variable', () => {
  const URL_ATTACKS: ReadonlyArray<readonly [string, string]> = [
    ['an attribute breakout', 'https://orders.example.com" /><set-backend-service base-url="https://evil.example'],
    ['a single-quote breakout', "https://orders.example.com/'x"],
    ['plain http', 'http://orders.example.com'],
    ['credentials', 'https://user:pw@orders.example.com'],
    ['a query string', 'https://orders.example.com/api?next=https://evil.example'],
    ['a fragment', 'https://orders.example.com/#x'],
    ['a named value', 'https://orders.example.com/{{secret-path}}'],
    ['a policy expression', '@(context.Request.Url.ToString())'],
    ['a space', 'https://orders.example.com/a b'],
    ['a trailing newline', 'https://orders.example.com\n'],
    ['an ampersand', 'https://orders.example.com/a&b'],
  ];
  const LEGIT = 'https://orders.internal.example.com:8443/api/v1';

  function serviceUrlPolicy(): string {
    const stack = newStack();
    const url = new TerraformVariable(stack, 'backend_url', { type: 'string' });
    new ClientCertGatedApi(stack, 'Api', {
      apiManagement: newService(stack), displayName: 'A', path: 'a', serviceUrl: url.stringValue, trust: ClientCertificateTrust.thumbprints([T]),
    });
    return onlyResource(synthJson(stack), 'azurerm_api_management_api_policy').xml_content;
  }

  function backendUrl(): string {
    const stack = newStack();
    const url = new TerraformVariable(stack, 'backend_url', { type: 'string' });
    const apim = newService(stack);
    const certificate = new UploadedCertificate(stack, 'Client', {
      apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client'),
    });
    new MutualTlsBackend(stack, 'Backend', { apiManagement: apim, url: url.stringValue, clientCertificate: certificate });
    return onlyResource(synthJson(stack), 'azurerm_api_management_backend').url;
  }

  test.each(URL_ATTACKS)('as serviceUrl, %s fails the plan', (_attack, value) => {
    expect(() => evaluateTemplate(serviceUrlPolicy(), { backend_url: value })).toThrow(TerraformPlanError);
  });

  test.each(URL_ATTACKS)('as a backend url, %s fails the plan', (_attack, value) => {
    expect(() => evaluateTemplate(backendUrl(), { backend_url: value })).toThrow(TerraformPlanError);
  });

  test('a legitimate serviceUrl routes admitted callers there and nowhere else', () => {
    const xml = serviceUrlPolicy();
    expect(xml).toContain(`base-url="\${regex("${GUARDED_URL_PATTERN}", var.backend_url)}"`);
    const policy = evaluateTemplate(xml, { backend_url: LEGIT });
    expect(simulatePolicy(policy, { clientCertificate: pki.trusted.x509 })).toMatchObject({ outcome: SimulatedOutcome.FORWARDED, backendUrl: LEGIT });
    expect(simulatePolicy(policy, { clientCertificate: pki.unknown.x509 }).outcome).toBe(SimulatedOutcome.REJECTED);
  });

  test('a legitimate backend url is the backend\'s url', () => {
    expect(evaluateTemplate(backendUrl(), { backend_url: LEGIT })).toBe(LEGIT);
  });
});

describe('values that must be literal are refused as tokens, naming the construct and the fix', () => {
  function api(props: (value: string) => Partial<ClientCertGatedApiProps>) {
    const stack = newStack();
    const variable = new TerraformVariable(stack, 'dn', { type: 'string' });
    return () =>
      new ClientCertGatedApi(stack, 'PartnerApi', {
        apiManagement: newService(stack), displayName: 'Partner', path: 'partner', serviceUrl: 'https://orders.example.com',
        trust: ClientCertificateTrust.thumbprints([T]), ...props(variable.stringValue),
      });
  }

  test.each(['issuer', 'subject'] as const)('%s', (what) => {
    expect(api((v) => ({ [what]: v }))).toThrow(
      new RegExp(`^test/PartnerApi: ${what} is a Terraform token \\(a variable or a data source\\)\\. A gate's ${what} must be literal text: .*Give the distinguished name as a string, as \\.NET prints it \\(SimulatedCertificate\\.of\\(cert\\)\\.${what}\\)\\.$`),
    );
  });

  test('the id of a certificate matched by id', () => {
    expect(api((v) => ({ trust: ClientCertificateTrust.certificates([{ certificateId: v, thumbprint: T, rotatesOutsideTerraform: true }]) }))).toThrow(
      /^test\/PartnerApi: a trusted certificate matched by id \(rotatesOutsideTerraform\) has a Terraform token as certificateId\. .*give it as literal text/,
    );
  });
});
