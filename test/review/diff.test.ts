import { GATE_PROOF_CONTEXT } from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import {
  buildSecurityModel,
  CertificateSource,
  ChangeImpact,
  ChangeSubjectKind,
  ClientCertGatedApi,
  ClientCertificateTrust,
  diffSecurityModels,
  MutualTlsBackend,
  readSynthesizedPlan,
  renderChanges,
  Secret,
  SecurityChange,
  UploadedCertificate,
  SYNTH_WITHOUT_SECRETS,
} from '../../src';
import { writePfx } from '../support/pfx';
import { issueCertificate } from '../support/x509';
import { cli, expectMarkdownSnapshot, reviewStack, service, synthesize } from './support';

const PARTNER_A = '3B7E0B4A0F1C4E7A9D2F115E6C8A3D9B0E4F1A2C';
const PARTNER_B = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

interface Variant {
  readonly thumbprints?: string[];
  readonly validateCertificateChain?: boolean;
  readonly checkValidityPeriod?: boolean;
  /** Replace the API's policy by one that checks nothing. */
  readonly dropGate?: boolean;
  /** Replace the API's policy by a hand-written one whose gate is not recognised. */
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
      new UploadedCertificate(stack, 'Extra', {
        apiManagement: apim,
        source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/extra'),
      });
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
    if (variant.handWrittenGate) {
      (api.policy as ApiManagementApiPolicy).addOverride(
        'xml_content',
        `<policies><inbound><base /><choose><when condition='@(${variant.handWrittenGate})'><return-response><set-status code="401" /></return-response></when></choose>` +
          '<set-backend-service backend-id="orders-backend" /><authentication-certificate certificate-id="gateway-client" /></inbound></policies>',
      );
    }
    if (variant.dropGate) {
      (api.policy as ApiManagementApiPolicy).addOverride('xml_content', 
        '<policies><inbound><base /><set-backend-service backend-id="orders-backend" /><authentication-certificate certificate-id="gateway-client" /></inbound></policies>',
      );
    }
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

function changes(base: string, head: string): SecurityChange[] {
  // The synth-time proof's own warnings on these deliberately weakened heads are not under test here.
  return diffSecurityModels(buildSecurityModel(readSynthesizedPlan(base)), buildSecurityModel(readSynthesizedPlan(head))).filter(
    (change) => !change.description.includes(GATE_PROOF_CONTEXT) && !change.description.includes('could not prove at synth'),
  );
}

function summary(list: SecurityChange[]): Array<[ChangeImpact, string]> {
  return list.map((c) => [c.impact, c.description]);
}

describe('diffing two synthesized plans', () => {
  let base: string;
  beforeAll(() => {
    base = gateway();
  });

  test('identical plans have no changes; --fail-on weakened exits 0', () => {
    const same = gateway();
    expect(changes(base, same)).toEqual([]);
    const result = cli('review', same, '--base', base, '--fail-on', 'weakened');
    expect(result).toEqual({ code: 0, stdout: '# Client-certificate review: changes\n\nNo security-relevant changes.\n', stderr: '' });
  });

  test('a thumbprint added is weakened: more callers are admitted', () => {
    const head = gateway({ thumbprints: [PARTNER_A, PARTNER_B] });
    const list = changes(base, head);
    expect(list).toEqual([
      {
        impact: ChangeImpact.WEAKENED,
        stack: 'gateway',
        subjectKind: ChangeSubjectKind.API,
        subject: 'API `/orders` (`orders-api`)',
        description: `now also trusts thumbprint \`${PARTNER_B}\`: more callers are admitted`,
      },
    ]);
    expect(cli('review', head, '--base', base, '--fail-on', 'weakened').code).toBe(1);
    expectMarkdownSnapshot('diff-thumbprint-added', renderChanges(list));
  });

  test('a thumbprint removed is strengthened', () => {
    const head = gateway({ thumbprints: [PARTNER_A, PARTNER_B] });
    expect(summary(changes(head, base))).toEqual([[ChangeImpact.STRENGTHENED, `no longer trusts thumbprint \`${PARTNER_B}\``]]);
    expect(cli('review', base, '--base', head, '--fail-on', 'weakened').code).toBe(0);
  });

  test('backend chain validation turned off is weakened; exit 1 with --fail-on weakened, 0 without', () => {
    const head = gateway({ validateCertificateChain: false });
    const list = changes(base, head);
    const weakened = list.filter((c) => c.impact === ChangeImpact.WEAKENED);
    expect(weakened).toEqual([
      expect.objectContaining({
        subjectKind: ChangeSubjectKind.BACKEND,
        subject: 'Backend `orders-backend`',
        description: 'server certificate chain validation turned off (was on)',
      }),
    ]);
    // The new synth warning is listed too, as something to note.
    expect(list.filter((c) => c.impact === ChangeImpact.NEUTRAL)).toEqual([
      expect.objectContaining({ subjectKind: ChangeSubjectKind.ANNOTATION, description: expect.stringContaining('validateCertificateChain is false') }),
    ]);
    const failing = cli('review', head, '--base', base, '--fail-on', 'weakened');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('## ⚠️ Weakened\n\n- Backend `orders-backend` in stack `gateway`: server certificate chain validation turned off (was on)');
    expect(failing.stderr).toBe('');
    expect(cli('review', head, '--base', base).code).toBe(0);
    // And back on: strengthened.
    expect(summary(changes(head, base)).filter(([impact]) => impact === ChangeImpact.STRENGTHENED)).toEqual([
      [ChangeImpact.STRENGTHENED, 'server certificate chain validation turned on (was off)'],
    ]);
  });

  test('a check turned off is weakened', () => {
    const list = changes(base, gateway({ checkValidityPeriod: false }));
    expect(summary(list).filter(([impact]) => impact === ChangeImpact.WEAKENED)).toEqual([
      [ChangeImpact.WEAKENED, 'not-after (expiry) check turned off'],
      [ChangeImpact.WEAKENED, 'not-before check turned off'],
    ]);
  });

  test('a gate that disappears is weakened', () => {
    const list = changes(base, gateway({ dropGate: true }));
    expect(summary(list)).toEqual([[ChangeImpact.WEAKENED, expect.stringMatching(/^gate removed: its policy checks no client certificate$/)]]);
  });

  test('a gate that is no longer recognised, or changes while not recognised, is weakened', () => {
    const forwarded = gateway({ handWrittenGate: 'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == ""' });
    expect(summary(changes(base, forwarded))).toEqual([
      [ChangeImpact.WEAKENED, expect.stringMatching(/^gate no longer recognised \(the condition reads a client certificate forwarded in a request header.*\): treated as weakened, read it by hand$/)],
    ]);
    const other = gateway({ handWrittenGate: 'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") != "x"' });
    expect(summary(changes(forwarded, other))).toEqual([[ChangeImpact.WEAKENED, expect.stringContaining('policy changed and its gate is not recognised')]]);
    expect(changes(forwarded, gateway({ handWrittenGate: 'context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == ""' }))).toEqual([]);
  });

  test('a new API is flagged for review; one without a gate counts as weakened', () => {
    const head = gateway({ extraApi: true });
    expect(summary(changes(base, head))).toEqual([
      [ChangeImpact.NEUTRAL, `new API, trusting thumbprint \`${PARTNER_B}\`: check who may call it`],
    ]);
    expect(summary(changes(head, base))).toEqual([[ChangeImpact.STRENGTHENED, 'API removed']]);
    const bare = gateway({ bareApi: true });
    expect(summary(changes(base, bare))).toEqual([
      [ChangeImpact.WEAKENED, 'new API: no policy in the plan, so nothing checks client certificates'],
    ]);
    expect(cli('review', bare, '--base', base, '--fail-on', 'weakened').code).toBe(1);
  });

  test('a certificate uploaded to a service whose API trusts every uploaded certificate is weakened', () => {
    const before = gateway({ uploadedTrust: true });
    const after = gateway({ uploadedTrust: true, extraCertificate: true });
    expect(summary(changes(before, after))).toEqual([
      [ChangeImpact.WEAKENED, 'newly uploaded; API `/orders` (`orders-api`) admit(s) any uploaded certificate, so callers presenting it get in'],
    ]);
    // Without such an API it is only noted.
    expect(summary(changes(base, gateway({ extraCertificate: true })))).toEqual([[ChangeImpact.NEUTRAL, 'newly uploaded']]);
    // Switching the API to any uploaded certificate is weakened, and the thumbprint pin goes.
    expect(summary(changes(base, before))).toEqual([
      [ChangeImpact.WEAKENED, 'now also trusts any certificate uploaded to the service: more callers are admitted'],
      [ChangeImpact.STRENGTHENED, `no longer trusts thumbprint \`${PARTNER_A}\``],
      [ChangeImpact.NEUTRAL, 'gate style changed from `validate-client-certificate` to `validate-client-certificate-with-expression`'],
      [
        ChangeImpact.NEUTRAL,
        '`gateway/OrdersApi`: trust is ClientCertificateTrust.uploadedCertificates(), which also admits callers presenting the backend client certificate(s) "gateway-client" uploaded to the same service. Trust ClientCertificateTrust.certificates(\\[...\\]) instead.',
      ],
    ]);
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
          apiManagement: apim, displayName: 'A', path: 'a', serviceUrl: 'https://a.example.com',
          trust: ClientCertificateTrust.certificates([partner]),
        });
      });
    } finally {
      delete process.env[ENV];
      delete process.env[SYNTH_WITHOUT_SECRETS];
    }
  }

  test('is the same trust: a literal and a reference to one certificate do not count as a change', () => {
    const withPassword = plan(true);
    const withoutPassword = plan(false);
    // The plans really differ in how the thumbprint is written...
    expect(readFileSync(join(withPassword, 'stacks', 'gateway', 'cdk.tf.json'), 'utf8')).not.toBe(
      readFileSync(join(withoutPassword, 'stacks', 'gateway', 'cdk.tf.json'), 'utf8'),
    );
    // ...but not in who may call.
    const list = changes(withPassword, withoutPassword);
    expect(list.filter((c) => c.impact === ChangeImpact.WEAKENED)).toEqual([]);
    expect(list.filter((c) => c.impact === ChangeImpact.STRENGTHENED)).toEqual([]);
  });
});
