import { CallerRole, Destination } from '../../src/access';
import { known, undecided } from '../../src/plan';
import {
  backendCertificateAdmitted,
  backendTlsCheckOff,
  certificateExpiring,
  clientCertificateFlagRefused,
  conflictingClaims,
  expiredCertificateAdmitted,
  impostorAdmitted,
  judge,
  keyVaultCertificatePinned,
  literalSecret,
  namedCertificateRejected,
  noCertificateAdmitted,
  nobodyAdmitted,
  plainHttpAccepted,
  Rule,
  serviceDoesNotAsk,
  subscriptionNotRequired,
  undecidedAccess,
  unknownCertificateAdmitted,
  unmanagedService,
  unreadableConfiguration,
  versionedKeyVaultSecret,
} from '../../src/rules';
import { FORWARDED, HandMade, handMadeMatrix, PARTNER, PARTNER_ADDRESS, UNDECIDED } from './hand-made-matrix';

const NOW = new Date('2030-01-01T00:00:00Z');
const run = (rule: Rule, made: HandMade) => rule({ matrix: handMadeMatrix(made), now: NOW });
const SUBJECT = { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', api: 'path:orders', apiName: 'orders-api', apiPath: 'orders', route: 'none' };

// Each rule: a matrix where it finds something (with the finding expected) and one where it finds nothing.
const cases: Array<[string, Rule, HandMade, unknown, HandMade]> = [
  [
    'a service the plan does not manage',
    unmanagedService,
    { service: { managed: false, asksForCertificates: undecided('service contoso-gateway is not managed by this plan') } },
    { code: 'unmanaged-service', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway' }, reason: 'service contoso-gateway is not managed by this plan' },
    {},
  ],
  [
    'an unknown certificate forwarded',
    unknownCertificateAdmitted,
    { verdicts: { unknown: FORWARDED } },
    { code: 'unknown-certificate-admitted', subject: SUBJECT, operations: ['GET /orders'], callers: ['unknown'], hosts: ['orders.internal.example'] },
    { verdicts: { [PARTNER]: FORWARDED } },
  ],
  [
    'a caller without a certificate answered by the gateway',
    noCertificateAdmitted,
    { verdicts: { none: { kind: 'answered', status: 200 } } },
    { code: 'no-certificate-admitted', subject: SUBJECT, operations: ['GET /orders'], callers: ['none'] },
    { verdicts: { [PARTNER]: FORWARDED } },
  ],
  [
    'an expired copy forwarded',
    expiredCertificateAdmitted,
    { verdicts: { [`expired:${PARTNER}`]: FORWARDED } },
    { code: 'expired-certificate-admitted', subject: SUBJECT, operations: ['GET /orders'], callers: [`expired:${PARTNER}`], hosts: ['orders.internal.example'] },
    { verdicts: { [PARTNER]: FORWARDED } },
  ],
  [
    'an impostor forwarded',
    impostorAdmitted,
    { verdicts: { [`impostor:${PARTNER}`]: FORWARDED } },
    { code: 'impostor-admitted', subject: SUBJECT, operations: ['GET /orders'], callers: [`impostor:${PARTNER}`], hosts: ['orders.internal.example'] },
    { verdicts: { [PARTNER]: FORWARDED } },
  ],
  [
    'a backend client certificate forwarded as a caller',
    backendCertificateAdmitted,
    { verdicts: { [PARTNER]: FORWARDED }, roles: { [PARTNER]: [CallerRole.CLIENT, CallerRole.BACKEND_CLIENT] } },
    { code: 'backend-certificate-admitted', subject: SUBJECT, operations: ['GET /orders'], callers: [PARTNER], hosts: ['orders.internal.example'] },
    { verdicts: { [PARTNER]: FORWARDED } },
  ],
  [
    'a certificate the policy names, rejected',
    namedCertificateRejected,
    { cellFacts: { [PARTNER]: { mentioned: 'thumbprint' } } },
    { code: 'named-certificate-rejected', subject: SUBJECT, operations: ['GET /orders'], callers: [PARTNER] },
    { verdicts: { [PARTNER]: FORWARDED }, cellFacts: { [PARTNER]: { mentioned: 'thumbprint' } } },
  ],
  [
    'every caller rejected',
    nobodyAdmitted,
    {},
    { code: 'nobody-admitted', subject: SUBJECT, operations: ['GET /orders'], callers: [] },
    { verdicts: { [PARTNER]: FORWARDED } },
  ],
  [
    'an undecided cell',
    undecidedAccess,
    { verdicts: { none: UNDECIDED } },
    { code: 'undecided-access', subject: { ...SUBJECT, item: '${var.extra} (a variable)' }, operations: ['GET /orders'], reason: '${var.extra} (a variable)' },
    {},
  ],
  [
    'a service that does not ask for certificates',
    serviceDoesNotAsk,
    { service: { asksForCertificates: known(false) } },
    { code: 'service-does-not-ask', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: 'azurerm_api_management.apim' }, required: 'consumption-flag' },
    {},
  ],
  [
    'client_certificate_enabled on a classic tier',
    clientCertificateFlagRefused,
    { service: { clientCertificateEnabled: known(false), requiredMechanism: 'hostname-negotiation' as never, skuName: known('Premium_1') } },
    { code: 'client-certificate-flag-refused', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: 'azurerm_api_management.apim' }, sku: 'Premium_1' },
    { service: { clientCertificateEnabled: known(true) } },
  ],
  [
    'a backend without chain validation',
    backendTlsCheckOff,
    { service: { backends: [{ address: 'b', name: known('b'), url: known('https://b.example'), validateCertificateChain: known(false), validateCertificateName: known(true), clientCertificates: [] }] } },
    { code: 'backend-tls-check-off', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: 'b', item: 'chain' }, check: 'chain', written: true },
    { service: { backends: [{ address: 'b', name: known('b'), url: known('https://b.example'), validateCertificateChain: known(true), validateCertificateName: known(true), clientCertificates: [] }] } },
  ],
  [
    'an API without a subscription key',
    subscriptionNotRequired,
    { api: { subscriptionRequired: known(false) } },
    { code: 'subscription-not-required', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', api: 'path:orders', apiName: 'orders-api', apiPath: 'orders' } },
    {},
  ],
  [
    'an API accepting http',
    plainHttpAccepted,
    { api: { protocols: known(['http', 'https']) } },
    { code: 'plain-http-accepted', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', api: 'path:orders', apiName: 'orders-api', apiPath: 'orders' } },
    {},
  ],
  [
    'a Key Vault certificate pinned by thumbprint',
    keyVaultCertificatePinned,
    { certificate: { source: { kind: 'key-vault', secretId: 'https://kv.vault.azure.net/secrets/partner' } }, cellFacts: { [PARTNER]: { mentioned: 'thumbprint' } } },
    { code: 'key-vault-certificate-pinned', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', api: 'path:orders', apiName: 'orders-api', apiPath: 'orders', resource: PARTNER_ADDRESS }, operations: ['GET /orders'] },
    { certificate: { source: { kind: 'key-vault', secretId: 'https://kv.vault.azure.net/secrets/partner' } }, cellFacts: { [PARTNER]: { mentioned: 'name' } } },
  ],
  [
    'a versioned Key Vault secret id',
    versionedKeyVaultSecret,
    { certificate: { source: { kind: 'key-vault', secretId: `https://kv.vault.azure.net/secrets/partner/${'0'.repeat(32)}` } } },
    { code: 'versioned-key-vault-secret', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: PARTNER_ADDRESS }, secretId: `https://kv.vault.azure.net/secrets/partner/${'0'.repeat(32)}` },
    { certificate: { source: { kind: 'key-vault', secretId: 'https://kv.vault.azure.net/secrets/partner' } } },
  ],
  [
    'a PFX password written as text',
    literalSecret,
    { certificate: { literalSecrets: ['password'] } },
    { code: 'literal-secret', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: PARTNER_ADDRESS, item: 'password' }, attribute: 'password' },
    {},
  ],
  [
    'claims that disagree',
    conflictingClaims,
    { certificate: { conflictingClaims: true } },
    { code: 'conflicting-claims', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: PARTNER_ADDRESS } },
    {},
  ],
  [
    'a certificate expiring within 30 days',
    certificateExpiring,
    { certificate: { claims: { kind: 'certificate', source: 'pfx-file', inspected: true, notAfter: '2030-01-11T00:00:00.000Z' } } },
    { code: 'certificate-expiring', subject: { service: 'name:contoso-gateway', serviceName: 'contoso-gateway', resource: PARTNER_ADDRESS }, notAfter: '2030-01-11T00:00:00.000Z', daysLeft: 10 },
    {},
  ],
];

describe.each(cases)('%s', (_, rule, failing, finding, passing) => {
  test('is found', () => {
    expect(run(rule, failing)).toEqual([finding]);
  });
  test('is not found where it does not hold', () => {
    expect(run(rule, passing)).toEqual([]);
  });
});

describe('the rule engine', () => {
  test('configuration the reader could not attach is a finding', () => {
    const matrix = handMadeMatrix();
    const withIssue = { ...matrix, plan: { ...matrix.plan, unreadable: [{ address: 'module.apis', reason: 'module' }] } };
    expect(unreadableConfiguration({ matrix: withIssue, now: NOW })).toEqual([
      { code: 'unreadable-configuration', subject: { service: '', resource: 'module.apis', item: 'module' }, reason: 'module' },
    ]);
  });

  test('a rule that throws becomes a finding instead of hiding the others', () => {
    const broken: Rule = () => {
      throw new Error('boom');
    };
    const findings = judge(handMadeMatrix({ verdicts: { unknown: FORWARDED } }), { rules: [broken, unknownCertificateAdmitted], now: NOW });
    expect(findings.map((f) => f.code)).toEqual(['unreadable-configuration', 'unknown-certificate-admitted']);
  });

  test('a certificate presented to the backend is not reported as locked out where it is named', () => {
    const presented = { ...FORWARDED, destination: Destination.BACKEND, presents: [PARTNER_ADDRESS] };
    expect(run(namedCertificateRejected, { verdicts: { unknown: presented }, cellFacts: { [PARTNER]: { mentioned: 'name' } } })).toEqual([]);
  });

  test('an operation whose existence count leaves open is undecided', () => {
    const matrix = handMadeMatrix({ verdicts: { [PARTNER]: FORWARDED } });
    const [service] = matrix.services;
    const open = { ...matrix, services: [{ ...service, operations: service.operations.map((row) => ({ ...row, presence: 'count = ${var.n}' })) }] };
    expect(undecidedAccess({ matrix: open, now: NOW })).toEqual([expect.objectContaining({ reason: 'whether it exists is decided at apply (count = ${var.n})' })]);
  });

  test('an undecided service is not judged as not asking', () => {
    expect(run(serviceDoesNotAsk, { service: { asksForCertificates: undecided('sku_name is ${var.sku} (a variable)') } })).toEqual([]);
  });
});
