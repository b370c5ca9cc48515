import { readFileSync } from 'node:fs';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { buildExampleStacks } from '../../examples/partner-gateway-stack';
import { AccessCell, ApiManagementService, CertificateSource, ClientCertGatedApi, ClientCertificateTrust, GateStyle, MutualTlsBackend, reviewDirectory, ReviewResult, Secret, UploadedCertificate } from '../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../src/certificates/synth-secrets';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';
import { cli, expectMarkdownSnapshot, NOW, NOW_ARG, reviewStack, service, synthesize } from './support';

const PARTNER_A = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
const PARTNER_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Verdict kind per caller key of the first row of the API at `path` (and operation, when given). */
function verdicts(result: ReviewResult, path: string, operation?: string): Record<string, string> {
  const row = result.stacks[0].matrix.services.flatMap((s) => s.operations).find((o) => o.ref.apiPath === path && (operation === undefined || o.ref.operation === operation))!;
  return Object.fromEntries(row.cells.map((c: AccessCell) => c).map((c) => [c.caller.key, c.verdict.kind === 'rejected' ? `rejected ${c.verdict.status}` : c.verdict.kind]));
}

function codes(result: ReviewResult): string[] {
  return result.stacks.flatMap((stack) => stack.findings.map((finding) => `${finding.code} ${finding.subject.apiPath ?? finding.subject.resource ?? finding.subject.serviceName ?? ''}`)).sort();
}

describe('the report of the example stacks', () => {
  let dir: string;
  let result: ReviewResult;

  beforeAll(() => {
    dir = synthesize((app) => buildExampleStacks(app));
    result = reviewDirectory(dir, { now: NOW });
  });

  test('matches the Markdown golden file', () => {
    expectMarkdownSnapshot('example-report', result.markdown);
  });

  test('is the same for a second synth of the same app, and the command prints it', () => {
    const again = synthesize((app) => buildExampleStacks(app));
    expect(reviewDirectory(again, { now: NOW }).markdown).toBe(result.markdown);
    expect(cli('review', dir, NOW_ARG)).toEqual({ code: 0, stdout: result.markdown, stderr: '' });
  });

  // The expired copies of the pinned partners fail the validity check before any thumbprint is
  // compared, exactly as the unknown certificate's expired copy does: its cell stands for theirs.
  test('the orders API admits the two pinned partners and rejects everyone else with 401', () => {
    expect(verdicts(result, 'partners/orders')).toEqual({
      'certificate:azurerm_api_management_certificate.GatewayClientCertificate_98006764': 'rejected 401',
      [`thumbprint:${PARTNER_A}`]: 'forwarded',
      [`thumbprint:${PARTNER_B}`]: 'forwarded',
      unknown: 'rejected 401',
      none: 'rejected 401',
      'forged-header': 'rejected 401',
      'expired:certificate:azurerm_api_management_certificate.GatewayClientCertificate_98006764': 'rejected 401',
      'expired:unknown': 'rejected 401',
    });
  });

  test('the inventory API admits the backend client certificate, which is a finding; so are the legacy backend checks', () => {
    expect(verdicts(result, 'partners/inventory')['certificate:azurerm_api_management_certificate.GatewayClientCertificate_98006764']).toBe('forwarded');
    expect(codes(result)).toEqual([
      'backend-certificate-admitted partners/inventory',
      'backend-tls-check-off azurerm_api_management_backend.LegacyInventoryBackend_D954C6CA',
      'backend-tls-check-off azurerm_api_management_backend.LegacyInventoryBackend_D954C6CA',
      'pinned-thumbprint-unmatched contoso-partner-gateway',
      'pinned-thumbprint-unmatched contoso-partner-gateway',
    ]);
    expect(result.markdown).toContain(
      '| API `/partners/inventory` Inventory (uploaded certificates) | all 7 operations | no product | certificate `gateway-client-certificate` → `inventory-legacy.internal.contoso.example` (backend `legacy-inventory-backend`), presenting certificate `gateway-client-certificate` | everyone else: rejected `403` |',
    );
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

  test('show thumbprint, subject and days left; a pinned certificate is admitted; secrets are never printed', () => {
    process.env[ENV] = PASSWORD;
    const partner = issueCertificate({ subject: 'CN=partner-c, O=Partner C', notAfter: new Date(Date.now() + 200 * DAY_MS) });
    const other = issueCertificate({ subject: 'CN=partner-d' });
    const pfxFile = writePfx(partner, { password: PASSWORD });
    const otherFile = writePfx(other, { password: PLAIN_PASSWORD });
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack, 'Developer_1');
      const certificate = new UploadedCertificate(stack, 'PartnerC', { apiManagement: apim, source: CertificateSource.fromPfxFile(pfxFile, { password: Secret.fromEnvironment(ENV) }) });
      const plain = new UploadedCertificate(stack, 'PartnerD', { apiManagement: apim, source: CertificateSource.fromPfxFile(otherFile, { password: Secret.unsafePlainText(PLAIN_PASSWORD) }) });
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
    const result = reviewDirectory(dir, { now });
    const cells = verdicts(result, 'partners');
    expect(Object.entries(cells).filter(([, verdict]) => verdict === 'forwarded').map(([key]) => key)).toEqual([
      expect.stringMatching(/^certificate:azurerm_api_management_certificate\.PartnerC_Certificate_/),
      expect.stringMatching(/^certificate:azurerm_api_management_certificate\.PartnerD_Certificate_/),
    ]);
    expect(result.markdown).toContain(`thumbprint \`${partner.thumbprint}\`; subject \`CN=partner-c, O=Partner C\``);
    expect(result.markdown).toContain('(10 days left)');
    expect(result.markdown).toMatch(/Certificate `partner-c-[0-9a-f]{8}` on service `contoso-gateway` in stack `gateway`: expires on `[^`]+`, in 10 days/);
    expect(result.markdown).toContain('has its PFX password written in plain text in the configuration (value not shown)');
    const printed = cli('review', dir).stdout;
    for (const output of [result.markdown, printed, JSON.stringify(result.stacks.map((s) => s.findings))]) {
      expect(output).not.toContain(PASSWORD);
      expect(output).not.toContain(PLAIN_PASSWORD);
      expect(output).not.toContain(readFileSync(pfxFile).toString('base64').slice(0, 40));
      expect(output).not.toContain('filebase64("');
    }
    expect(reviewDirectory(dir, { now: new Date(partner.notAfter.getTime() + 3 * DAY_MS) }).markdown).toContain('(3 days ago)');
  });

  test('a PFX whose password is missing at synth has a thumbprint known after apply and is still the trusted caller', () => {
    process.env[SYNTH_WITHOUT_SECRETS] = '1';
    const file = writePfx(issueCertificate({ subject: 'CN=partner-e' }), { password: PASSWORD });
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack);
      const certificate = new UploadedCertificate(stack, 'PartnerE', { apiManagement: apim, source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }) });
      new ClientCertGatedApi(stack, 'Api', {
        apiManagement: apim,
        displayName: 'Partners',
        path: 'partners',
        serviceUrl: 'https://partners.internal.contoso.example',
        trust: ClientCertificateTrust.certificates([certificate]),
        gateStyle: GateStyle.EXPRESSION,
      });
    });
    const result = reviewDirectory(dir, { now: NOW });
    expect(Object.entries(verdicts(result, 'partners')).filter(([, v]) => v === 'forwarded').map(([k]) => k)).toEqual([expect.stringMatching(/PartnerE_Certificate_/)]);
    expect(result.markdown).toMatch(/- Certificate `partner-e-[0-9a-f]{8}`: PFX file `certificate.pfx`; thumbprint known after apply; expiry not known at synth/);
  });
});

describe('services', () => {
  const props = { resourceGroupName: 'rg', location: 'westeurope', publisherName: 'Contoso', publisherEmail: 'platform@contoso.example' };

  test('a service written without our construct is flagged when it does not ask for certificates', () => {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      new ApiManagement(stack, 'Consumption', { ...props, name: 'raw-consumption', skuName: 'Consumption_0' });
      new ApiManagement(stack, 'V2', { ...props, name: 'raw-v2', skuName: 'StandardV2_1' });
      new ApiManagement(stack, 'Classic', { ...props, name: 'raw-classic', skuName: 'Premium_1', clientCertificateEnabled: false });
    });
    const result = reviewDirectory(dir, { now: NOW });
    expect(codes(result)).toEqual([
      'client-certificate-flag-refused azurerm_api_management.Classic',
      'service-does-not-ask azurerm_api_management.Classic',
      'service-does-not-ask azurerm_api_management.Consumption',
      'service-does-not-ask azurerm_api_management.V2',
    ]);
    expect(result.markdown).toContain('- Asks callers for client certificates: **no**: the SKU needs `client_certificate_enabled = true`; every caller is simulated without one');
  });

  test.each([
    ['Developer_1', 'hostname-negotiation'],
    ['BasicV2_1', 'azapi-enable-client-certificate'],
    ['Consumption_0', 'consumption-flag'],
  ])('our construct makes a %s service ask (%s)', (sku, mechanism) => {
    const dir = synthesize((app) => service(reviewStack(app), sku));
    const [svc] = reviewDirectory(dir, { now: NOW }).stacks[0].matrix.plan.services;
    expect(svc).toMatchObject({ skuName: { known: true, value: sku }, requiredMechanism: mechanism, mechanisms: [mechanism], asksForCertificates: { known: true, value: true } });
  });

  test('an existing service is reported as not managed by the plan', () => {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = ApiManagementService.fromExisting(stack, 'Shared', { name: 'shared-apim', resourceGroupName: 'rg-shared', skuName: 'Developer_1' });
      new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'Existing', path: 'existing', serviceUrl: 'https://existing.internal.contoso.example', trust: ClientCertificateTrust.uploadedCertificates() });
    });
    const result = reviewDirectory(dir, { now: NOW });
    expect(codes(result)).toEqual(['unmanaged-service shared-apim']);
    expect(result.markdown).toContain('- Asks callers for client certificates: not decided here (service shared-apim is not managed by this plan); callers are simulated presenting theirs');
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

  function handWritten(policies: Record<string, string>, operationPolicy?: string): ReviewResult {
    const dir = synthesize((app) => {
      const stack = reviewStack(app);
      const apim = service(stack);
      new UploadedCertificate(stack, 'Uploaded', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/uploaded') });
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
        new ApiManagementApiPolicy(stack, `Policy-${name}`, { apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, xmlContent: xml });
        if (operationPolicy) {
          const operation = new ApiManagementApiOperation(stack, `Operation-${name}`, {
            apiName: api.name,
            apiManagementName: apim.name,
            resourceGroupName: apim.resourceGroupName,
            operationId: 'get-orders',
            displayName: 'GET /orders',
            method: 'GET',
            urlTemplate: '/orders',
          });
          new ApiManagementApiOperationPolicy(stack, `OperationPolicy-${name}`, {
            apiName: api.name,
            apiManagementName: apim.name,
            resourceGroupName: apim.resourceGroupName,
            operationId: operation.operationId,
            xmlContent: operationPolicy,
          });
        }
      }
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
    return reviewDirectory(dir, { now: NOW });
  }

  test('are judged by what they do: the 2017 inverted check admits unknown certificates and rejects uploaded ones', () => {
    const result = handWritten({ seeduploaded: SEED_UPLOADED, seedthumbprint: SEED_THUMBPRINT });
    const seed = verdicts(result, 'seeduploaded');
    expect(seed).toMatchObject({ unknown: 'forwarded', none: 'rejected 401' });
    expect(Object.entries(seed).filter(([key]) => key.startsWith('certificate:')).map(([, verdict]) => verdict)).toEqual(['rejected 401']);
    // A thumbprint that is no thumbprint: nobody gets in.
    expect(Object.values(verdicts(result, 'seedthumbprint'))).toEqual(expect.not.arrayContaining(['forwarded']));
    expect(codes(result)).toEqual(
      expect.arrayContaining(['unknown-certificate-admitted seeduploaded', 'nobody-admitted seedthumbprint', 'no-certificate-admitted bare', 'plain-http-accepted bare']),
    );
  });

  test('a gate the simulator cannot decide is undecided, with the reason, never guessed', () => {
    const forwarded = SEED_UPLOADED.replace(
      'context.Request.Certificate == null || context.Deployment.Certificates.Any(c => c.Value.Thumbprint == context.Request.Certificate.Thumbprint)',
      'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == ""',
    );
    const limited = '<policies><inbound><base /><rate-limit calls="10" renewal-period="60" /></inbound></policies>';
    const result = handWritten({ forwarded, limited, computed: '${file("policy.xml")}' });
    // The header is forwarded by a gateway in front; anyone can send it, with a certificate or without.
    expect(verdicts(result, 'forwarded')).toMatchObject({ unknown: 'forwarded', 'forged-header': 'forwarded' });
    expect(result.markdown).toContain("when it also sends request header `x-arr-clientcert`");
    // A rate limit only ever rejects: whoever it does not throttle is forwarded.
    expect(verdicts(result, 'limited').unknown).toBe('forwarded');
    expect(verdicts(result, 'computed').unknown).toBe('undecided');
    expect(result.markdown).toContain('cannot be judged from the plan: the api policy');
    expect(result.markdown).toContain('${file("policy.xml")}');
  });

  test('an operation policy without <base /> skips the API gate for that operation only', () => {
    const result = handWritten({ gated: SEED_THUMBPRINT.replace('desired-thumbprint-to-validate', PARTNER_A) }, '<policies><inbound><rate-limit calls="1" renewal-period="1" /></inbound></policies>');
    expect(verdicts(result, 'gated', 'GET /orders').unknown).toBe('forwarded');
    const withoutRateLimit = handWritten({ gated: SEED_THUMBPRINT.replace('desired-thumbprint-to-validate', PARTNER_A) }, '<policies><inbound><set-header name="x" exists-action="override"><value>1</value></set-header></inbound></policies>');
    expect(verdicts(withoutRateLimit, 'gated', 'GET /orders')).toMatchObject({ unknown: 'forwarded', none: 'forwarded' });
  });
});

describe('backends', () => {
  test('a backend presenting a PFX certificate through its credentials names it in the forwarded verdict', () => {
    const ENV = 'REVIEW_BACKEND_PFX_PASSWORD';
    process.env[ENV] = 'backend-password';
    try {
      const cert = issueCertificate({ subject: 'CN=gateway-client' });
      const file = writePfx(cert, { password: 'backend-password' });
      const dir = synthesize((app) => {
        const stack = reviewStack(app);
        const apim = service(stack);
        const clientCertificate = new UploadedCertificate(stack, 'GatewayClient', { apiManagement: apim, source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }) });
        const backend = new MutualTlsBackend(stack, 'Orders', { apiManagement: apim, url: 'https://orders.internal.contoso.example', clientCertificate });
        new ClientCertGatedApi(stack, 'Api', { apiManagement: apim, displayName: 'Orders', path: 'orders', backend, trust: ClientCertificateTrust.thumbprints([PARTNER_B]) });
      });
      const result = reviewDirectory(dir, { now: NOW });
      expect(result.markdown).toMatch(/thumbprint `A1B2C3D4…` → `orders.internal.contoso.example` \(backend `orders`\), presenting certificate `gateway-client-[0-9a-f]{8}`/);
      expect(result.markdown).toMatch(/- Backend `orders`: `https:\/\/orders.internal.contoso.example`; client certificate: certificate `gateway-client-[0-9a-f]{8}`; server certificate checks: chain on · name on/);
    } finally {
      delete process.env[ENV];
    }
  });
});
