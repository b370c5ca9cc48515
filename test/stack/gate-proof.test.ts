import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  ApiDefinition,
  ApiManagementService,
  CaCertificate,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertGatedApiProps,
  ClientCertificateGate,
  ClientCertificateTrust,
  GATE_PROOF_CONTEXT,
  GateTarget,
  IApiManagementService,
  Secret,
  UploadedCertificate,
} from '../../src';
import { accessMatrix, CallerKind } from '../../src/access';
import { SYNTH_WITHOUT_SECRETS } from '../../src/certificates/synth-secrets';
import { readPlan } from '../../src/plan';
import { writePfx } from '../support/pfx';
import { newService, newStack, synthJson, warningsOf } from '../support/stack';
import { issueCertificate, TestCertificate } from '../support/x509';

const PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const ENV = 'APIM_MTLS_PROOF_PFX_PASSWORD';
const PASSWORD = 'proof-pfx-password';

/** A policy that routes before <base />, so no enclosing scope (and no gate there) runs. */
const ROUTES_BEFORE_BASE = '<policies><inbound><set-backend-service base-url="https://elsewhere.example.com" /></inbound><backend><forward-request /></backend><outbound /><on-error /></policies>';
/** A policy that answers before <base />. */
const ANSWERS_BEFORE_BASE = '<policies><inbound><return-response><set-status code="200" reason="OK" /></return-response><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
const KEEPS_BASE = '<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

function synthError(stack: TerraformStack): string {
  try {
    synthJson(stack);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

function plainApi(stack: TerraformStack, service: IApiManagementService, path = 'orders'): ApiManagementApi {
  return new ApiManagementApi(stack, 'Plain', {
    name: path, apiManagementName: service.name, resourceGroupName: service.resourceGroupName, revision: '1', displayName: path, path, protocols: ['https'],
  });
}

function operationPolicy(stack: TerraformStack, service: IApiManagementService, apiName: string, operationId: string, xmlContent: string): void {
  new ApiManagementApiOperationPolicy(stack, 'TheirOperationPolicy', {
    apiName, apiManagementName: service.name, resourceGroupName: service.resourceGroupName, operationId, xmlContent,
  });
}

function gatedApi(stack: TerraformStack, service: IApiManagementService, props: Partial<ClientCertGatedApiProps> = {}): ClientCertGatedApi {
  return new ClientCertGatedApi(stack, 'Gated', {
    apiManagement: service, displayName: 'Gated', path: 'gated', serviceUrl: 'https://gated.example.com', trust: ClientCertificateTrust.thumbprints([PARTNER]), ...props,
  });
}

describe('a bypass at each scope fails synth, naming the resource responsible and the fix', () => {
  test('API created here: an operation policy that routes before <base />', () => {
    const stack = newStack();
    const apim = newService(stack);
    const api = gatedApi(stack, apim);
    operationPolicy(stack, apim, api.api.name, 'get-all', ROUTES_BEFORE_BASE);
    const message = synthError(stack);
    expect(message).toMatch(
      /test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on GET \/\* of API \/gated because test\/TheirOperationPolicy \(azurerm_api_management_api_operation_policy\.TheirOperationPolicy\) does not run the gate: it answers or routes before <base \/> in <inbound>, or drops <base \/>\. Keep <base \/> first in <inbound>/,
    );
  });

  test('API created elsewhere, gated by name: an operation policy of another team that answers before <base />', () => {
    const stack = newStack();
    const shared = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg', skuName: 'Premium_1' });
    new ClientCertificateGate(stack, 'LegacyGate', { target: GateTarget.apiByName(shared, 'legacy'), trust: ClientCertificateTrust.thumbprints([PARTNER]) });
    operationPolicy(stack, shared, 'legacy', 'get-status', ANSWERS_BEFORE_BASE);
    expect(synthError(stack)).toMatch(/test\/LegacyGate: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway \(<return-response> at \/policies\/inbound\/return-response of test\/TheirOperationPolicy .*\) on id:get-status of API legacy because test\/TheirOperationPolicy/);
  });

  test('imported API: an operation of the definition whose policy answers before <base />', () => {
    const stack = newStack();
    const apim = newService(stack);
    const definition = ApiDefinition.openApi(JSON.stringify({ openapi: '3.0.1', info: { title: 't', version: '1' }, paths: { '/status': { get: { operationId: 'get-status' } } } }));
    const api = gatedApi(stack, apim, { definition });
    operationPolicy(stack, apim, api.api.name, 'get-status', ANSWERS_BEFORE_BASE);
    expect(synthError(stack)).toMatch(/test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are answered by the gateway \(<return-response> at .*\) on GET \/status of API \/gated because test\/TheirOperationPolicy/);
  });

  test('product: an API policy in the product that drops <base />', () => {
    const stack = newStack();
    const apim = newService(stack);
    const product = new ApiManagementProduct(stack, 'Partners', { productId: 'partners', apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, displayName: 'P', published: true });
    new ClientCertificateGate(stack, 'PartnersGate', { target: GateTarget.product(product), trust: ClientCertificateTrust.thumbprints([PARTNER]) });
    const api = plainApi(stack, apim);
    new ApiManagementApiOperation(stack, 'Get', { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, operationId: 'get', displayName: 'g', method: 'GET', urlTemplate: '/orders' });
    new ApiManagementProductApi(stack, 'Link', { productId: product.productId, apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName });
    new ApiManagementApiPolicy(stack, 'TheirApiPolicy', { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, xmlContent: ROUTES_BEFORE_BASE });
    expect(synthError(stack)).toMatch(
      /test\/PartnersGate: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on GET \/orders of API \/orders through product "partners" because test\/TheirApiPolicy \(azurerm_api_management_api_policy\.TheirApiPolicy\) does not run the gate/,
    );
  });

  test('service: an API policy that drops <base />', () => {
    const stack = newStack();
    const apim = newService(stack);
    new ClientCertificateGate(stack, 'ServiceGate', { target: GateTarget.service(apim), trust: ClientCertificateTrust.thumbprints([PARTNER]) });
    const api = plainApi(stack, apim);
    new ApiManagementApiOperation(stack, 'Get', { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, operationId: 'get', displayName: 'g', method: 'GET', urlTemplate: '/orders' });
    new ApiManagementApiPolicy(stack, 'TheirApiPolicy', { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, xmlContent: ROUTES_BEFORE_BASE });
    expect(synthError(stack)).toMatch(/test\/ServiceGate: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on GET \/orders of API \/orders because test\/TheirApiPolicy/);
  });

  test('service: an API policy whose <inbound> drops <base /> while its <backend> keeps it blames that policy, not the gate', () => {
    const stack = newStack();
    const apim = newService(stack);
    new ClientCertificateGate(stack, 'ServiceGate', { target: GateTarget.service(apim), trust: ClientCertificateTrust.thumbprints([PARTNER]) });
    const api = plainApi(stack, apim);
    new ApiManagementApiOperation(stack, 'Get', { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, operationId: 'get', displayName: 'g', method: 'GET', urlTemplate: '/orders' });
    // The backend's <base /> reaches the global policy's <backend>, which forwards; its <inbound> (the gate) never runs.
    const inboundWithoutBase = '<policies><inbound><set-backend-service base-url="https://orders.example.com" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
    new ApiManagementApiPolicy(stack, 'TheirApiPolicy', { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, xmlContent: inboundWithoutBase });
    const error = synthError(stack);
    expect(error).toMatch(/test\/ServiceGate: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on GET \/orders of API \/orders because test\/TheirApiPolicy .* does not run the gate/);
    expect(error).not.toMatch(/although/);
  });

  test('an operation policy that answers callers repeating their thumbprint in a header: any caller can, so it is a bypass', () => {
    const stack = newStack();
    const apim = newService(stack);
    const api = gatedApi(stack, apim);
    const echoCheck = '@(context.Request.Certificate != null && context.Request.Certificate.Thumbprint == context.Request.Headers.GetValueOrDefault("X-Client-Thumbprint", ""))';
    const xml = `<policies><inbound><choose><when condition="${echoCheck}"><return-response><set-status code="200" reason="OK" /></return-response></when></choose><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
    new ApiManagementApiOperationPolicy(stack, 'Echo', { apiName: api.api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, operationId: api.operations[0].operationId, xmlContent: xml });
    expect(synthError(stack)).toMatch(/test\/Gated: a caller with an unknown client certificate (and .* )?(is|are) answered by the gateway .* because test\/Echo/);
  });

  test.each([
    ['compares a header with the certificate\'s subject', 'context.Request.Certificate != null && context.Request.Certificate.Subject == context.Request.Headers.GetValueOrDefault("X-Client-Subject", "")', 'x-client-subject'],
    ['compares a header with a constant written in the policy', 'context.Request.Headers.GetValueOrDefault("X-Bypass", "") == "let-me-in"', 'x-bypass'],
    ['tests that a header starts with a text', 'context.Request.Headers.GetValueOrDefault("X-Partner", "").StartsWith("contoso-")', 'x-partner'],
  ])('an operation policy that answers callers whose header passes a test: any caller can send it, so it is a bypass (%s)', (_, condition, header) => {
    const stack = newStack();
    const apim = newService(stack);
    const api = gatedApi(stack, apim);
    const xml = `<policies><inbound><choose><when condition='@(${condition})'><return-response><set-status code="200" reason="OK" /></return-response></when></choose><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
    new ApiManagementApiOperationPolicy(stack, 'Echo', { apiName: api.api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, operationId: api.operations[0].operationId, xmlContent: xml });
    expect(synthError(stack)).toMatch(new RegExp(`test/Gated: (a caller without a client certificate and )?a caller with an unknown client certificate .*answered by the gateway .* when (it also sends|they also send) request header "${header}" \\(any caller can\\) .* because test/Echo`));
  });

  test('an override that replaces the gate\'s own document', () => {
    const stack = newStack();
    const api = gatedApi(stack, newService(stack));
    api.policy.addOverride('xml_content', KEEPS_BASE.replace('<inbound><base />', '<inbound><base /><set-backend-service base-url="https://gated.example.com" />'));
    expect(synthError(stack)).toMatch(/test\/Gated: a caller without a client certificate and a caller with an unknown client certificate are forwarded to the backend on .* although test\/Gated\/Policy .* runs: the composed policy no longer rejects such callers\. Keep the gate's document as the construct writes it/);
  });
});

describe('a trusted certificate its own gate rejects fails synth ("locks out")', () => {
  let partnerCa: TestCertificate;
  let partner: TestCertificate;
  let selfSigned: TestCertificate;
  beforeAll(() => {
    process.env[ENV] = PASSWORD;
    partnerCa = issueCertificate({ subject: 'CN=Partner CA, O=Partner', ca: true });
    partner = issueCertificate({ subject: 'CN=partner-a, O=Partner A', issuer: partnerCa });
    selfSigned = issueCertificate({ subject: 'CN=partner-b, O=Partner B' });
  });
  afterAll(() => {
    delete process.env[ENV];
  });

  function uploaded(stack: TerraformStack, apim: ApiManagementService, id: string, certificate: TestCertificate): UploadedCertificate {
    return new UploadedCertificate(stack, id, {
      apiManagement: apim,
      source: CertificateSource.fromPfxFile(writePfx(certificate, { password: PASSWORD }), { password: Secret.fromEnvironment(ENV) }),
    });
  }

  test('a synth without secrets warns that the file was not inspected, and claims no lockout of the certificate it could not read', () => {
    delete process.env[ENV];
    process.env[SYNTH_WITHOUT_SECRETS] = '1';
    try {
      const stack = newStack();
      const apim = developerService(stack);
      const certificate = uploaded(stack, apim, 'PartnerA', partner);
      gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([certificate]) });
      expect(synthError(stack)).toBe('');
      const warnings = warningsOf(stack);
      expect(warnings).toEqual([expect.stringContaining('was not inspected: APIM_MTLS_SYNTH_WITHOUT_SECRETS is set')]);
      // The plan the review reads admits the certificate: the synth-time proof must not say otherwise.
      const matrix = accessMatrix(readPlan(JSON.parse(Testing.synth(stack))));
      const cells = matrix.services.flatMap((service) => service.operations.flatMap((operation) => operation.cells));
      const trusted = cells.filter((cell) => cell.caller.kind === CallerKind.CERTIFICATE && cell.caller.certificate?.includes('PartnerA'));
      expect(trusted.length).toBeGreaterThan(0);
      expect(trusted.every((cell) => cell.verdict.kind === 'forwarded')).toBe(true);
    } finally {
      delete process.env[SYNTH_WITHOUT_SECRETS];
      process.env[ENV] = PASSWORD;
    }
  });

  function developerService(stack: TerraformStack, withPartnerCa = false): ApiManagementService {
    return new ApiManagementService(stack, 'Apim', {
      name: 'contoso-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'C', publisherEmail: 'c@example.com', skuName: 'Developer_1',
      caCertificates: withPartnerCa ? [CaCertificate.fromPem(partnerCa.pem)] : undefined,
    });
  }

  test('a subject rule written in openssl order, with the .NET form to use', () => {
    const stack = newStack();
    const apim = developerService(stack);
    const certificate = uploaded(stack, apim, 'PartnerA', partner);
    gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([certificate]), subject: 'O=Partner A, CN=partner-a' });
    expect(synthError(stack)).toMatch(
      /test\/Gated: locks out test\/PartnerA\/Certificate \(azurerm_api_management_certificate\.PartnerA_Certificate_[0-9A-F]+\), which it trusts: its subject rule "O=Partner A, CN=partner-a" lists the names in openssl's order, but the gate compares them as \.NET prints them\. Write subject: "CN=partner-a, O=Partner A"\./,
    );
  });

  test('an issuer rule that names another issuer', () => {
    const stack = newStack();
    const apim = developerService(stack);
    gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([uploaded(stack, apim, 'PartnerA', partner)]), issuer: 'CN=Other CA, O=Other' });
    expect(synthError(stack)).toMatch(/locks out test\/PartnerA\/Certificate .*: its issuer is "CN=Partner CA, O=Partner" as \.NET prints it, not "CN=Other CA, O=Other"/);
  });

  test('verifyChain for a self-signed certificate no uploaded CA issues', () => {
    const stack = newStack();
    const apim = developerService(stack);
    gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([uploaded(stack, apim, 'PartnerB', selfSigned)]), verifyChain: true, checkRevocation: false });
    expect(synthError(stack)).toMatch(/locks out test\/PartnerB\/Certificate .*: verifyChain needs a CA that issues it uploaded to the service, and the certificate is self-signed \("CN=partner-b, O=Partner B"\)/);
  });

  test('revocation checks on against a private CA', () => {
    const stack = newStack();
    const apim = developerService(stack, true);
    gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([uploaded(stack, apim, 'PartnerA', partner)]), verifyChain: true });
    expect(synthError(stack)).toMatch(/locks out test\/PartnerA\/Certificate .*: checkRevocation fails for chains ending at a private CA \("CN=Partner CA, O=Partner"\).*Set checkRevocation: false\./);
  });

  test('the same stacks pass with the rules fixed', () => {
    const stack = newStack();
    const apim = developerService(stack, true);
    const certificate = uploaded(stack, apim, 'PartnerA', partner);
    gatedApi(stack, apim, {
      trust: ClientCertificateTrust.certificates([certificate]),
      subject: 'CN=partner-a, O=Partner A',
      issuer: 'CN=Partner CA, O=Partner',
      verifyChain: true,
      checkRevocation: false,
    });
    expect(synthError(stack)).toBe('');
    expect(warningsOf(stack).filter((w) => w.includes('could not prove'))).toEqual([]);
  });
});

describe('what cannot be proven at synth is a warning saying what', () => {
  test('a subject rule on a Key Vault certificate, whose names synth cannot see', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const kv = new UploadedCertificate(stack, 'PartnerKv', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/partner') });
    gatedApi(stack, apim, { trust: ClientCertificateTrust.certificates([kv]), subject: 'CN=partner-kv' });
    expect(synthError(stack)).toBe('');
    expect(warningsOf(stack)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^could not prove at synth that the gate holds: the trusted certificate azurerm_api_management_certificate\.PartnerKv_Certificate_[0-9A-F]+ is rejected by the gate's subject .* its names and issuer are not known at synth/)]),
    );
  });

  test('a policy under the gate whose text only Terraform knows', () => {
    const stack = newStack();
    const apim = newService(stack);
    const api = gatedApi(stack, apim);
    operationPolicy(stack, apim, api.api.name, 'get-all', '${file("policy.xml")}');
    expect(synthError(stack)).toBe('');
    expect(warningsOf(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^could not prove at synth that the gate holds on GET \/\* of API \/gated: the operation policy .* is undecided/)]));
  });
});

test('a correct stack with gates at every scope passes without warnings from the proof', () => {
  const stack = newStack();
  const apim = newService(stack);
  new ClientCertificateGate(stack, 'ServiceGate', { target: GateTarget.service(apim), trust: ClientCertificateTrust.thumbprints([PARTNER]) });
  const api = gatedApi(stack, apim);
  operationPolicy(stack, apim, api.api.name, 'get-all', KEEPS_BASE);
  expect(synthError(stack)).toBe('');
  expect(warningsOf(stack).filter((w) => w.includes('could not prove'))).toEqual([]);
});

test('GATE_PROOF_CONTEXT "warn" keeps a deliberate bypass visible as a warning instead of failing synth', () => {
  const stack = new TerraformStack(Testing.app({ context: { [GATE_PROOF_CONTEXT]: 'warn' } }), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const apim = newService(stack);
  const api = gatedApi(stack, apim);
  operationPolicy(stack, apim, api.api.name, 'get-all', ROUTES_BEFORE_BASE);
  apim.resource.addOverride('client_certificate_enabled', false);
  expect(synthError(stack)).toBe('');
  expect(warningsOf(stack)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^not enforced \(cdktf-apim-mtls:gateProof is "warn"\): a caller without a client certificate .* because test\/TheirOperationPolicy/),
      expect.stringMatching(/^not enforced \(cdktf-apim-mtls:gateProof is "warn"\): client_certificate_enabled is false/),
    ]),
  );
});

describe('the engine options the proof relies on', () => {
  // Without the unknown certificate as their stand-in, pinned thumbprints are simulated in every chain.
  test('accessMatrix can be asked for some callers only', () => {
    const stack = newStack();
    const apim = newService(stack);
    gatedApi(stack, apim, { path: 'one' });
    new ClientCertGatedApi(stack, 'Other', { apiManagement: apim, displayName: 'O', path: 'other', serviceUrl: 'https://o.example.com', trust: ClientCertificateTrust.thumbprints(['B'.repeat(40)]) });
    const matrix = accessMatrix(readPlan(stack.toTerraform()), { callers: (caller) => caller.kind === CallerKind.PINNED_THUMBPRINT || caller.kind === CallerKind.NO_CERTIFICATE });
    const cells = matrix.services[0].operations.flatMap((operation) => operation.cells.map((cell) => [operation.ref.apiPath, cell.caller.thumbprint ?? 'none', cell.verdict.kind]));
    expect(new Set(cells.map((cell) => JSON.stringify(cell)))).toEqual(
      new Set([
        JSON.stringify(['one', PARTNER, 'forwarded']),
        JSON.stringify(['one', 'B'.repeat(40), 'rejected']),
        JSON.stringify(['one', 'none', 'rejected']),
        JSON.stringify(['other', PARTNER, 'rejected']),
        JSON.stringify(['other', 'B'.repeat(40), 'forwarded']),
        JSON.stringify(['other', 'none', 'rejected']),
      ]),
    );
  });
});
