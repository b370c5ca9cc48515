import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { AccessChange, CertificateSource, ChangeImpact, ClientCertGatedApi, ClientCertificateTrust, MutualTlsBackend, reviewChanges, Secret, UploadedCertificate } from '../../src';
import { SYNTH_WITHOUT_SECRETS } from '../../src/certificates/synth-secrets';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';
import { cli, expectMarkdownSnapshot, NOW, reviewStack, service, synthesize } from './support';

const PARTNER_A = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
const PARTNER_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

interface Variant {
  readonly thumbprints?: string[];
  readonly validateCertificateChain?: boolean;
  readonly checkValidityPeriod?: boolean;
  /** Replace the API's policy by one that checks nothing. */
  readonly dropGate?: boolean;
  /** Replace the API's policy by a hand-written one with this condition. */
  readonly handWrittenGate?: string;
  readonly extraApi?: boolean;
  /** An API with no policy at all. */
  readonly bareApi?: boolean;
  readonly extraCertificate?: boolean;
  readonly uploadedTrust?: boolean;
}

/** A small gateway: one gated API behind a mutual-TLS backend, with knobs for each change. */
function gateway(variant: Variant = {}): string {
  return synthesize((app) => {
    const stack = reviewStack(app);
    const apim = service(stack);
    const clientCertificate = new UploadedCertificate(stack, 'GatewayClient', {
      apiManagement: apim,
      source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/gateway-client'),
    });
    if (variant.extraCertificate) {
      new UploadedCertificate(stack, 'Extra', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/extra') });
    }
    const backend = new MutualTlsBackend(stack, 'OrdersBackend', {
      apiManagement: apim,
      url: 'https://orders.internal.contoso.example',
      clientCertificate,
      validateCertificateChain: variant.validateCertificateChain,
    });
    const api = new ClientCertGatedApi(stack, 'OrdersApi', {
      apiManagement: apim,
      displayName: 'Orders',
      path: 'orders',
      backend,
      trust: variant.uploadedTrust ? ClientCertificateTrust.uploadedCertificates() : ClientCertificateTrust.thumbprints(variant.thumbprints ?? [PARTNER_A]),
      checkValidityPeriod: variant.checkValidityPeriod,
    });
    const routing = '<set-backend-service backend-id="orders-backend" /><authentication-certificate certificate-id="gateway-client" />';
    if (variant.handWrittenGate) {
      (api.policy as ApiManagementApiPolicy).addOverride(
        'xml_content',
        `<policies><inbound><base /><choose><when condition='@(${variant.handWrittenGate})'><return-response><set-status code="401" /></return-response></when></choose>${routing}</inbound></policies>`,
      );
    }
    if (variant.dropGate) (api.policy as ApiManagementApiPolicy).addOverride('xml_content', `<policies><inbound><base />${routing}</inbound></policies>`);
    if (variant.bareApi) {
      new ApiManagementApi(stack, 'ReportsApi', {
        name: 'reports-api',
        apiManagementName: apim.name,
        resourceGroupName: apim.resourceGroupName,
        revision: '1',
        displayName: 'Reports',
        path: 'reports',
        protocols: ['https'],
        serviceUrl: 'https://reports.internal.contoso.example',
      });
    }
    if (variant.extraApi) {
      new ClientCertGatedApi(stack, 'InvoicesApi', {
        apiManagement: apim,
        displayName: 'Invoices',
        path: 'invoices',
        serviceUrl: 'https://invoices.internal.contoso.example',
        trust: ClientCertificateTrust.thumbprints([PARTNER_B]),
      });
    }
  });
}

function changes(base: string, head: string): AccessChange[] {
  return reviewChanges(head, base, { now: NOW }).changes!.flatMap((stack) => stack.changes);
}

/** Impact, kind and (for verdict changes) the caller and verdict kinds, which is what each test is about. */
function summary(list: AccessChange[]): string[] {
  return list.flatMap((c) => {
    if (c.kind === 'verdict') return c.callers.map((caller) => `${c.impact} verdict ${caller.key}: ${c.before.kind} → ${c.after.kind}`);
    const detail = c.kind === 'certificate' ? ` ${c.change}` : c.kind === 'finding' ? ` ${c.finding.code}` : '';
    return [`${c.impact} ${c.kind}${detail}`];
  });
}

describe('diffing two synthesized plans', () => {
  let base: string;
  beforeAll(() => {
    base = gateway();
  });

  test('identical plans have no changes; --fail-on weakened exits 0', () => {
    const same = gateway();
    expect(changes(base, same)).toEqual([]);
    expect(cli('review', same, '--base', base, '--fail-on', 'weakened')).toEqual({ code: 0, stdout: '# Client-certificate review: changes\n\nNo security-relevant changes.\n', stderr: '' });
  });

  test('a thumbprint added is weakened: its holder, unknown to the base, is now admitted', () => {
    const head = gateway({ thumbprints: [PARTNER_A, PARTNER_B] });
    const list = changes(base, head);
    expect(summary(list)).toEqual([`weakened verdict thumbprint:${PARTNER_B}: rejected → forwarded`]);
    expect(cli('review', head, '--base', base, '--fail-on', 'weakened').code).toBe(1);
    expectMarkdownSnapshot('diff-thumbprint-added', reviewChanges(head, base, { now: NOW }).markdown);
  });

  test('a thumbprint removed is strengthened', () => {
    const head = gateway({ thumbprints: [PARTNER_A, PARTNER_B] });
    expect(summary(changes(head, base))).toEqual([`strengthened verdict thumbprint:${PARTNER_B}: forwarded → rejected`]);
    expect(cli('review', base, '--base', head, '--fail-on', 'weakened').code).toBe(0);
  });

  test('backend chain validation turned off is weakened; exit 1 with --fail-on weakened, 0 without', () => {
    const head = gateway({ validateCertificateChain: false });
    expect(summary(changes(base, head))).toEqual(['weakened backend-tls']);
    const failing = cli('review', head, '--base', base, '--fail-on', 'weakened');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('## ⚠️ Weakened\n\n- Backend `orders-backend` on service `contoso-gateway` in stack `gateway`: server certificate chain validation on → off');
    // The new synth warning is shown, not counted.
    expect(failing.stdout).toContain('## New synth annotations (not compared)');
    expect(cli('review', head, '--base', base).code).toBe(0);
    expect(summary(changes(head, base))).toEqual(['strengthened backend-tls']);
  });

  test('validity checks turned off are weakened: an expired copy of the pinned certificate gets in', () => {
    expect(summary(changes(base, gateway({ checkValidityPeriod: false })))).toEqual([`weakened verdict expired:thumbprint:${PARTNER_A}: rejected → forwarded`]);
  });

  test('a gate that disappears is weakened for every caller it used to reject', () => {
    expect(summary(changes(base, gateway({ dropGate: true }))).filter((line) => line.startsWith('weakened'))).toEqual(
      expect.arrayContaining(['weakened verdict unknown: rejected → forwarded', 'weakened verdict none: rejected → forwarded']),
    );
  });

  test('a hand-written gate that trusts a forwarded certificate header is weakened: a forged header gets in', () => {
    const forwarded = gateway({ handWrittenGate: 'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == ""' });
    expect(summary(changes(base, forwarded))).toEqual(expect.arrayContaining(['weakened verdict forged-header: rejected → forwarded']));
    expect(changes(forwarded, gateway({ handWrittenGate: 'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == ""' }))).toEqual([]);
  });

  test('a hand-written gate the simulator cannot decide is weakened: undecided where the base was decided', () => {
    const list = changes(base, gateway({ handWrittenGate: 'context.Request.Certificate == null || context.Request.Certificate.Extensions.Count == 0' }));
    expect(list.some((c) => c.kind === 'verdict' && c.after.kind === 'undecided' && c.impact === ChangeImpact.WEAKENED)).toBe(true);
  });

  test('a new API is to note when it rejects unknown callers, weakened when it admits them', () => {
    expect(summary(changes(base, gateway({ extraApi: true })))).toEqual(['to-note operation-added']);
    expect(summary(changes(gateway({ extraApi: true }), base))).toEqual(['strengthened operation-removed']);
    const bare = gateway({ bareApi: true });
    expect(summary(changes(base, bare))).toEqual(['weakened operation-added']);
    expect(cli('review', bare, '--base', base, '--fail-on', 'weakened').code).toBe(1);
  });

  test('a certificate uploaded to a service whose API trusts every uploaded certificate is weakened', () => {
    const before = gateway({ uploadedTrust: true });
    const after = gateway({ uploadedTrust: true, extraCertificate: true });
    expect(summary(changes(before, after))).toEqual(
      expect.arrayContaining(['weakened verdict certificate:azurerm_api_management_certificate.Extra_Certificate_542D24CB: rejected → forwarded', 'to-note certificate added']),
    );
    // Without such an API it is only noted.
    expect(summary(changes(base, gateway({ extraCertificate: true })))).toEqual(['to-note certificate added']);
  });
});

describe('a PFX certificate synthesized with and without its password', () => {
  const ENV = 'REVIEW_PFX_PASSWORD';
  const file = writePfx(issueCertificate({ subject: 'CN=partner-pfx' }), { password: 'pw' });

  function plan(withPassword: boolean): string {
    if (withPassword) process.env[ENV] = 'pw';
    // A CI synth without secrets says so; otherwise the missing password fails synth.
    else process.env[SYNTH_WITHOUT_SECRETS] = '1';
    try {
      return synthesize((app) => {
        const stack = reviewStack(app);
        const apim = service(stack);
        const partner = new UploadedCertificate(stack, 'PartnerPfx', {
          apiManagement: apim,
          source: CertificateSource.fromPfxFile(file, { password: Secret.fromEnvironment(ENV) }),
        });
        new ClientCertGatedApi(stack, 'Api', {
          apiManagement: apim,
          displayName: 'A',
          path: 'a',
          serviceUrl: 'https://a.example.com',
          trust: ClientCertificateTrust.certificates([partner]),
        });
      });
    } finally {
      delete process.env[ENV];
      delete process.env[SYNTH_WITHOUT_SECRETS];
    }
  }

  test('compares as "no security-relevant changes", both ways', () => {
    const withPassword = plan(true);
    const withoutPassword = plan(false);
    // The plans really differ in how the thumbprint is written...
    expect(readFileSync(join(withPassword, 'stacks', 'gateway', 'cdk.tf.json'), 'utf8')).not.toBe(readFileSync(join(withoutPassword, 'stacks', 'gateway', 'cdk.tf.json'), 'utf8'));
    // ...but not in who may call.
    expect(changes(withPassword, withoutPassword)).toEqual([]);
    expect(changes(withoutPassword, withPassword)).toEqual([]);
    expect(cli('review', withoutPassword, '--base', withPassword, '--fail-on', 'weakened').stdout).toMatch(/^# Client-certificate review: changes\n\nNo security-relevant changes\.\n/);
  });
});
