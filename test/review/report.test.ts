import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { readFileSync } from 'node:fs';
import { buildExampleStacks } from '../../examples/partner-gateway-stack';
import {
  ApiManagementService,
  buildSecurityModel,
  CertificateOrigin,
  CertificateSource,
  ClientCertGatedApi,
  ClientCertificatePresentation,
  ClientCertificateTrust,
  GateStyle,
  MutualTlsBackend,
  readSynthesizedPlan,
  renderReport,
  ReviewedGateStatus,
  ReviewedGateStyle,
  Secret,
  SecurityModel,
  TrustMemberKind,
  UploadedCertificate,
  SYNTH_WITHOUT_SECRETS,
} from '../../src';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';
import { cli, expectMarkdownSnapshot, NOW, NOW_ARG, reviewStack, service, synthesize } from './support';

const PARTNER_A = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
const PARTNER_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const DAY_MS = 24 * 60 * 60 * 1000;

function modelOf(dir: string): SecurityModel {
  return buildSecurityModel(readSynthesizedPlan(dir));
}

describe('the report of the example stacks', () => {
  let dir: string;
  let model: SecurityModel;
  let report: string;

  beforeAll(() => {
    dir = synthesize((app) => buildExampleStacks(app));
    model = modelOf(dir);
    report = renderReport(model, { now: NOW });
  });

  test('matches the Markdown snapshot', () => {
    expectMarkdownSnapshot('example-report', report);
  });

  test('is the same for a second synth of the same app, and the command prints it', () => {
    const again = synthesize((app) => buildExampleStacks(app));
    expect(renderReport(modelOf(again), { now: NOW })).toBe(report);
    expect(cli('review', dir, NOW_ARG)).toEqual({ code: 0, stdout: report, stderr: '' });
  });

  test('the orders API pins the two partner thumbprints with validate-client-certificate', () => {
    const orders = model.stacks[0].apis.find((api) => api.path === 'partners/orders')!;
    expect(orders.gate.status).toBe(ReviewedGateStatus.RECOGNISED);
    expect(orders.gate.style).toBe(ReviewedGateStyle.VALIDATE_POLICY);
    expect(orders.gate.members.map((m) => [m.kind, m.thumbprint])).toEqual([
      [TrustMemberKind.THUMBPRINT, PARTNER_A],
      [TrustMemberKind.THUMBPRINT, PARTNER_B],
    ]);
    expect(orders.gate.checks).toEqual({ chain: false, revocation: false, notBefore: true, notAfter: true });
    expect(orders.gate.rejectStatusCode).toBe(401);
    expect(orders.routing).toMatchObject({ backendId: 'orders-backend', authenticationCertificates: [{ certificateId: 'gateway-client-certificate' }] });
    expect(orders.flags).toEqual([]);
  });

  test('the inventory API trusts any uploaded certificate, flagged because the backend certificate is one', () => {
    const inventory = model.stacks[0].apis.find((api) => api.path === 'partners/inventory')!;
    expect(inventory.gate).toMatchObject({
      status: ReviewedGateStatus.RECOGNISED,
      style: ReviewedGateStyle.EXPRESSION,
      members: [{ kind: TrustMemberKind.ANY_UPLOADED }],
      rejectStatusCode: 403,
      rejectReason: 'Client certificate not accepted',
    });
    expect(inventory.flags).toEqual([expect.stringContaining('including "gateway-client-certificate" uploaded for backend mutual TLS')]);
    expect(report).toContain('**any certificate uploaded to the service** (in this plan: `gateway-client-certificate`)');
  });

  test('backends, certificate and service are described and the legacy backend is flagged', () => {
    const [stack] = model.stacks;
    const legacy = stack.backends.find((b) => b.name === 'legacy-inventory-backend')!;
    expect(legacy).toMatchObject({ validateCertificateChain: false, validateCertificateName: false, presentation: ClientCertificatePresentation.API_POLICY });
    expect(legacy.flags).toEqual([expect.stringContaining('chain validation is off'), expect.stringContaining('name validation is off')]);
    expect(stack.backends.find((b) => b.name === 'orders-backend')!.flags).toEqual([]);
    expect(stack.certificates).toEqual([
      expect.objectContaining({
        name: 'gateway-client-certificate',
        origin: CertificateOrigin.KEY_VAULT,
        keyVaultSecretId: 'https://contoso-gateway-kv.vault.azure.net/secrets/gateway-client',
        inspected: false,
      }),
    ]);
    expect(stack.services).toEqual([
      expect.objectContaining({ name: 'contoso-partner-gateway', skuName: 'Consumption_0', mechanisms: ['consumption-flag'], flags: [] }),
    ]);
    expect(report).toContain('- Asks callers for client certificates: yes, `client_certificate_enabled = true`');
    expect(report).toMatch(/Synth annotations[\s\S]*validateCertificateChain is false on backend/);
    expect(report).toMatch(/^1 stack · 1 service · 2 APIs · 2 backends · 1 certificate · 3 findings · 3 synth warnings$/m);
  });
});

describe('certificates from PFX files', () => {
  const ENV = 'REVIEW_PARTNER_PFX_PASSWORD';
  const PASSWORD = 'review-pfx-password-not-for-print';
  const PLAIN_PASSWORD = 'plain-password-not-for-print';
  afterEach(() => {
    delete process.env[ENV];
    delete process.env[SYNTH_WITHOUT_SECRETS];
  });

  test('show file, thumbprint, subject, expiry and days left; secrets are never printed', () => {
    process.env[ENV] = PASSWORD;
    const partner = issueCertificate({ subject: 'CN=partner-c, O=Partner C', notAfter: new Date(Date.now() + 200 * DAY_MS) });
    const other = issueCertificate({ subject: 'CN=partner-d' });
    const pfxFile = writePfx(partner, { password: PASSWORD });
    const otherFile = writePfx(other, { password: PLAIN_PASSWORD });
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack, 'Developer_1');
      const certificate = new UploadedCertificate(stack, 'PartnerC', {
        apiManagement: apim,
        source: CertificateSource.fromPfxFile(pfxFile, { password: Secret.fromEnvironment(ENV) }),
      });
      const plain = new UploadedCertificate(stack, 'PartnerD', {
        apiManagement: apim,
        source: CertificateSource.fromPfxFile(otherFile, { password: Secret.unsafePlainText(PLAIN_PASSWORD) }),
      });
      new ClientCertGatedApi(stack, 'Api', {
        apiManagement: apim,
        displayName: 'Partners',
        path: 'partners',
        serviceUrl: 'https://partners.internal.contoso.example',
        trust: ClientCertificateTrust.certificates([certificate, plain]),
      });
    });
    // Ten days before the end of validity.
    const now = new Date(Math.floor(partner.notAfter.getTime() / 1000) * 1000 - 10 * DAY_MS);
    const model = modelOf(dir);
    const report = renderReport(model, { now });
    const [stack] = model.stacks;
    const c = stack.certificates.find((x) => x.thumbprint === partner.thumbprint)!;
    expect(c).toMatchObject({
      origin: CertificateOrigin.PFX_FILE,
      fileName: 'certificate.pfx',
      inspected: true,
      subject: 'CN=partner-c, O=Partner C',
      passwordSource: 'variable review_partner_pfx_password',
      flags: [],
    });
    expect(report).toContain(`- Thumbprint: \`${partner.thumbprint}\``);
    expect(report).toContain('10 days left');
    expect(report).toMatch(new RegExp(`Certificate \`${c.name}\` in stack \`gateway\`: expires in 10 days`));
    // The pinned thumbprints are named after the uploaded certificates.
    const api = stack.apis[0];
    expect(api.gate.members.map((m) => m.certificateNames)).toEqual(expect.arrayContaining([[c.name]]));
    expect(report).toContain(`thumbprint \`${partner.thumbprint}\` = uploaded certificate \`${c.name}\``);
    // The plain-text password is flagged, never shown; PFX bytes never appear.
    const d = stack.certificates.find((x) => x.thumbprint === other.thumbprint)!;
    expect(d.flags).toEqual([expect.stringContaining('password is written in plain text in cdk.tf.json (value not shown)')]);
    const printed = cli('review', dir).stdout;
    for (const output of [report, printed, JSON.stringify(model)]) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(PLAIN_PASSWORD);
      expect(output).not.toContain(readFileSync(pfxFile).toString('base64').slice(0, 40));
      expect(output).not.toContain('filebase64');
    }
    // Expired by the time given: flagged as such.
    const later = renderReport(model, { now: new Date(partner.notAfter.getTime() + 3 * DAY_MS) });
    expect(later).toContain('expired 3 days ago');
  });

  test('a PFX whose password is missing at synth is reported with its thumbprint known after apply', () => {
    process.env[SYNTH_WITHOUT_SECRETS] = '1';
    const file = writePfx(issueCertificate({ subject: 'CN=partner-e' }), { password: PASSWORD });
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack);
      const certificate = new UploadedCertificate(stack, 'PartnerE', {
        apiManagement: apim,
        source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }),
      });
      new ClientCertGatedApi(stack, 'Api', {
        apiManagement: apim,
        displayName: 'Partners',
        path: 'partners',
        serviceUrl: 'https://partners.internal.contoso.example',
        trust: ClientCertificateTrust.certificates([certificate]),
        gateStyle: GateStyle.EXPRESSION,
      });
    });
    const model = modelOf(dir);
    const [certificate] = model.stacks[0].certificates;
    expect(certificate).toMatchObject({ inspected: false, origin: CertificateOrigin.PFX_FILE });
    expect(certificate.thumbprint).toBeUndefined();
    const [member] = model.stacks[0].apis[0].gate.members;
    expect(member).toMatchObject({ kind: TrustMemberKind.THUMBPRINT, certificateNames: [certificate.name] });
    expect(member.reference).toMatch(/^azurerm_api_management_certificate\.PartnerE_Certificate_[0-9A-F]+\.thumbprint$/);
    const report = renderReport(model, { now: NOW });
    expect(report).toContain(`thumbprint of uploaded certificate \`${certificate.name}\` (known after apply)`);
    expect(report).toContain('- Thumbprint: known after apply (the PFX was not opened at synth)');
  });
});

describe('services', () => {
  const props = {
    resourceGroupName: 'rg',
    location: 'westeurope',
    publisherName: 'Contoso',
    publisherEmail: 'platform@contoso.example',
  };

  test('a Consumption or v2 service written without our construct is flagged when it does not ask for certificates', () => {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      new ApiManagement(stack, 'Consumption', { ...props, name: 'raw-consumption', skuName: 'Consumption_0' });
      new ApiManagement(stack, 'V2', { ...props, name: 'raw-v2', skuName: 'StandardV2_1' });
      new ApiManagement(stack, 'Classic', { ...props, name: 'raw-classic', skuName: 'Premium_1', clientCertificateEnabled: false });
    });
    const [stack] = modelOf(dir).stacks;
    const flagsOf = (name: string) => stack.services.find((s) => s.name === name)!.flags;
    expect(flagsOf('raw-consumption')).toEqual([expect.stringMatching(/^Consumption service without client_certificate_enabled = true, so APIM never asks/)]);
    expect(flagsOf('raw-v2')).toEqual([expect.stringMatching(/^no azapi_update_resource setting properties.enableClientCertificate = true on this StandardV2 service/)]);
    expect(flagsOf('raw-classic')).toEqual([
      expect.stringMatching(/^no gateway host name with negotiate_client_certificate = true on this Premium service/),
      expect.stringMatching(/^client_certificate_enabled is set on a Premium service/),
    ]);
    expect(renderReport(modelOf(dir), { now: NOW })).toContain('- Asks callers for client certificates: **no**: the SKU needs `client_certificate_enabled = true`');
  });

  test('our construct sets up every tier: classic by host name, v2 through azapi', () => {
    for (const [sku, mechanism] of [
      ['Developer_1', 'hostname-negotiation'],
      ['BasicV2_1', 'azapi-enable-client-certificate'],
      ['Consumption_0', 'consumption-flag'],
    ]) {
      const dir = synthesize((app) => service(reviewStack(app), sku));
      const [svc] = modelOf(dir).stacks[0].services;
      expect(svc).toMatchObject({ skuName: sku, requiredMechanism: mechanism, mechanisms: [mechanism], flags: [] });
    }
  });

  test('an existing service is reported as not managed by the plan', () => {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg-shared', skuName: 'Developer_1' });
      new ClientCertGatedApi(stack, 'Api', {
        apiManagement: apim,
        displayName: 'Existing',
        path: 'existing',
        serviceUrl: 'https://existing.internal.contoso.example',
        trust: ClientCertificateTrust.uploadedCertificates(),
      });
    });
    const [stack] = modelOf(dir).stacks;
    expect(stack.services).toEqual([expect.objectContaining({ name: 'shared-apim', managed: false })]);
    expect(stack.apis[0].serviceName).toBe('shared-apim');
    expect(stack.apis[0].flags).toEqual([expect.stringContaining('a service this plan does not manage')]);
    expect(stack.annotations.map((a) => a.message)).toEqual([expect.stringContaining('is not managed by this stack')]);
  });
});

describe('policies not written by our constructs', () => {
  const SEED_UPLOADED = `<policies>
  <inbound>
    <base />
    <choose>
      <when condition="@(context.Request.Certificate == null || context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint))" >
        <return-response>
          <set-status code="401" reason="Invalid client certificate" />
        </return-response>
      </when>
    </choose>
  </inbound>
</policies>`;
  const SEED_THUMBPRINT = SEED_UPLOADED.replace(
    'context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)',
    'context.Request.Certificate.Thumbprint != "desired-thumbprint-to-validate"',
  );
  const FORWARDED_HEADER = SEED_UPLOADED.replace(
    'context.Request.Certificate == null || context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)',
    'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == ""',
  );
  const NO_GATE = '<policies><inbound><base /><rate-limit calls="10" renewal-period="60" /></inbound></policies>';
  const ISSUER_ONLY = SEED_UPLOADED.replace(
    'context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)',
    'context.Request.Certificate.Issuer != "CN=Contoso CA"',
  );

  function handWritten(policies: Record<string, string>, operationPolicy?: string): SecurityModel {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack);
      for (const [name, xml] of Object.entries(policies)) {
        const api = new ApiManagementApi(stack, `Api-${name}`, {
          name,
          apiManagementName: apim.name,
          resourceGroupName: apim.resourceGroupName,
          revision: '1',
          displayName: name,
          path: name,
          protocols: ['https'],
          serviceUrl: 'https://backend.internal.contoso.example',
        });
        new ApiManagementApiPolicy(stack, `Policy-${name}`, {
          apiName: api.name,
          apiManagementName: apim.name,
          resourceGroupName: apim.resourceGroupName,
          xmlContent: xml,
        });
        if (operationPolicy) {
          new ApiManagementApiOperationPolicy(stack, `Operation-${name}`, {
            apiName: api.name,
            apiManagementName: apim.name,
            resourceGroupName: apim.resourceGroupName,
            operationId: 'get-orders',
            xmlContent: operationPolicy,
          });
        }
      }
      // An API without any policy.
      new ApiManagementApi(stack, 'Bare', {
        name: 'bare',
        apiManagementName: apim.name,
        resourceGroupName: apim.resourceGroupName,
        revision: '1',
        displayName: 'Bare',
        path: 'bare',
        protocols: ['https', 'http'],
        serviceUrl: 'https://backend.internal.contoso.example',
      });
    });
    return modelOf(dir);
  }

  test('are read when their form is known, and each weakness is flagged', () => {
    const model = handWritten({ seeduploaded: SEED_UPLOADED, seedthumbprint: SEED_THUMBPRINT, issueronly: ISSUER_ONLY });
    const api = (name: string) => model.stacks[0].apis.find((a) => a.name === name)!;

    expect(api('seeduploaded').gate.members).toEqual([expect.objectContaining({ kind: TrustMemberKind.NOT_UPLOADED })]);
    expect(api('seeduploaded').flags).toEqual(
      expect.arrayContaining([
        expect.stringContaining('inverted check of the 2017 documentation'),
        expect.stringContaining('does not check the validity period'),
      ]),
    );
    expect(api('seedthumbprint').gate.members).toEqual([expect.objectContaining({ kind: TrustMemberKind.THUMBPRINT, thumbprint: 'desired-thumbprint-to-validate' })]);
    expect(api('seedthumbprint').flags).toEqual(expect.arrayContaining([expect.stringContaining('is not 40 upper-case hexadecimal digits, so it never matches')]));
    expect(api('issueronly').gate).toMatchObject({ members: [{ kind: TrustMemberKind.ANY_CERTIFICATE }], rules: [{ name: 'issuer-subject', value: 'CN=Contoso CA' }] });
    expect(api('issueronly').flags).toEqual(expect.arrayContaining([expect.stringContaining('anyone can make a self-signed certificate that meets its issuer and subject rules')]));

    expect(api('bare').gate.status).toBe(ReviewedGateStatus.NO_POLICY);
    expect(api('bare').flags).toEqual([expect.stringContaining('no policy in this plan'), expect.stringContaining('accepts plain http')]);
  });

  test('a gate of unknown form is flagged "not recognised" with what was found, not guessed at', () => {
    const model = handWritten({ forwarded: FORWARDED_HEADER, nogate: NO_GATE, computed: '${file("policy.xml")}' });
    const api = (name: string) => model.stacks[0].apis.find((a) => a.name === name)!;
    expect(api('forwarded').gate).toMatchObject({ status: ReviewedGateStatus.NOT_RECOGNISED, members: [] });
    expect(api('forwarded').gate.problem).toContain('forwarded in a request header');
    expect(api('forwarded').gate.details).toEqual([expect.stringContaining('X-ARR-ClientCert')]);
    expect(api('forwarded').flags).toEqual([expect.stringMatching(/^gate not recognised: /)]);
    expect(api('nogate').gate.status).toBe(ReviewedGateStatus.NO_GATE);
    expect(api('nogate').flags).toEqual([expect.stringContaining('its policy checks no client certificate')]);
    expect(api('computed').gate.problem).toContain('computed by Terraform at apply time');

    const report = renderReport(model, { now: NOW });
    expect(report).toContain('- Gate: **not recognised**: the condition reads a client certificate forwarded in a request header');
    expect(report).toContain('  - `/policies/inbound/choose/when condition: @(context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == "")`');
  });

  test('an operation policy without <base /> is flagged: the API gate does not run for it', () => {
    const model = handWritten({ gated: SEED_THUMBPRINT.replace('desired-thumbprint-to-validate', PARTNER_A) }, '<policies><inbound><rate-limit calls="1" renewal-period="1" /></inbound></policies>');
    const api = model.stacks[0].apis.find((a) => a.name === 'gated')!;
    expect(api.operationsSkippingGate).toEqual(['get-orders']);
    expect(api.flags).toEqual(expect.arrayContaining([expect.stringContaining('operation "get-orders" has its own policy without <base /> in inbound')]));
    expect(model.stacks[0].otherPolicies).toEqual([expect.objectContaining({ scope: 'operation gated/get-orders' })]);
  });
});

describe('backends', () => {
  test('a backend presenting a PFX certificate through its credentials names it', () => {
    const ENV = 'REVIEW_BACKEND_PFX_PASSWORD';
    process.env[ENV] = 'backend-password';
    try {
      const cert = issueCertificate({ subject: 'CN=gateway-client' });
      const file = writePfx(cert, { password: 'backend-password' });
      const dir = synthesize((app) => {
        const stack = reviewStack(app);
        const apim = service(stack);
        const clientCertificate = new UploadedCertificate(stack, 'GatewayClient', {
          apiManagement: apim,
          source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }),
        });
        const backend = new MutualTlsBackend(stack, 'Orders', { apiManagement: apim, url: 'https://orders.internal.contoso.example', clientCertificate });
        new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'Orders', path: 'orders', backend, trust: ClientCertificateTrust.thumbprints([PARTNER_B]) });
      });
      const model = modelOf(dir);
      const [backend] = model.stacks[0].backends;
      expect(backend).toMatchObject({
        name: 'orders',
        presentation: ClientCertificatePresentation.BACKEND_CREDENTIALS,
        clientCertificates: [{ thumbprint: cert.thumbprint, certificateNames: [model.stacks[0].certificates[0].name] }],
        validateCertificateChain: true,
        validateCertificateName: true,
        usedByApis: [model.stacks[0].apis[0].key],
        flags: [],
      });
      expect(renderReport(model, { now: NOW })).toContain('presented by the backend itself (`credentials.certificate`) for every API that uses it');
    } finally {
      delete process.env[ENV];
    }
  });
});

describe('Markdown safety', () => {
  test('display names cannot inject Markdown, HTML or mentions', () => {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack);
      new ClientCertGatedApi(stack, 'Api', {
        apiManagement: apim,
        displayName: 'Orders <img src=x> [link](https://evil.example) @platform-team *bold*',
        path: 'orders',
        serviceUrl: 'https://orders.internal.contoso.example',
        trust: ClientCertificateTrust.thumbprints([PARTNER_A]),
      });
    });
    const report = renderReport(modelOf(dir), { now: NOW });
    const heading = report.split('\n').find((line) => line.startsWith('#### API'))!;
    expect(heading).toBe('#### API `/orders`: Orders &lt;img src=x&gt; \\[link\\](https://evil.example) &#64;platform-team \\*bold\\*');
  });
});
