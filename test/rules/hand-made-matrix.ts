import { AccessMatrix, Caller, CallerKind, CallerRole, Destination, ForwardedVerdict, Verdict } from '../../src/access';
import { known, PlanApi, PlanCertificate, PlanService } from '../../src/plan';

/*
 * Matrices written by hand for rule and report tests (STYLE 3.11): one service, one API
 * `/orders` with GET /orders over the route without a product, and the callers a plan with one
 * uploaded certificate would have. Cells default to "rejected 401".
 */

export const PARTNER_ADDRESS = 'azurerm_api_management_certificate.partner';
export const PARTNER = `certificate:${PARTNER_ADDRESS}`;
export const SERVICE_KEY = 'name:contoso-gateway';

export const CALLERS: Record<string, Caller> = {
  [PARTNER]: { key: PARTNER, kind: CallerKind.CERTIFICATE, certificate: PARTNER_ADDRESS, thumbprint: 'A'.repeat(40), subject: 'CN=partner', issuer: 'CN=Partner CA', roles: [CallerRole.CLIENT] },
  unknown: { key: 'unknown', kind: CallerKind.UNKNOWN_CERTIFICATE, thumbprint: 'B'.repeat(40), roles: [] },
  none: { key: 'none', kind: CallerKind.NO_CERTIFICATE, roles: [] },
  [`expired:${PARTNER}`]: { key: `expired:${PARTNER}`, kind: CallerKind.EXPIRED, copyOf: PARTNER, certificate: PARTNER_ADDRESS, thumbprint: 'A'.repeat(40), roles: [CallerRole.CLIENT] },
  [`impostor:${PARTNER}`]: { key: `impostor:${PARTNER}`, kind: CallerKind.IMPOSTOR, copyOf: PARTNER, certificate: PARTNER_ADDRESS, thumbprint: 'C'.repeat(40), subject: 'CN=partner', issuer: 'CN=Partner CA', roles: [] },
};

export const REJECTED: Verdict = { kind: 'rejected', status: 401, by: { scope: 'azurerm_api_management_api_policy.orders', element: '/policies/inbound/validate-client-certificate' } };
export const FORWARDED: ForwardedVerdict = { kind: 'forwarded', destination: Destination.SERVICE_URL, url: known('https://orders.internal.example'), host: 'orders.internal.example', presents: [] };
export const UNDECIDED: Verdict = { kind: 'undecided', reason: '${var.extra} (a variable)' };

export interface HandMade {
  /** Verdict per caller key; the others are rejected. */
  readonly verdicts?: Readonly<Record<string, Verdict>>;
  /** Extra facts per cell. */
  readonly cellFacts?: Readonly<Record<string, { mentioned?: 'thumbprint' | 'name' }>>;
  /** Callers with other roles. */
  readonly roles?: Readonly<Record<string, CallerRole[]>>;
  readonly service?: Partial<PlanService>;
  readonly api?: Partial<PlanApi>;
  readonly certificate?: Partial<PlanCertificate>;
}

export function handMadeMatrix(made: HandMade = {}): AccessMatrix {
  const callers = Object.values(CALLERS).map((caller) => (made.roles?.[caller.key] ? { ...caller, roles: made.roles[caller.key] } : caller));
  const certificate: PlanCertificate = {
    address: PARTNER_ADDRESS,
    name: known('partner'),
    source: { kind: 'pfx-file', file: 'assets/partner/ABCDEF0123456789ABCDEF0123456789/partner.pfx', contentHash: 'ABCDEF0123456789ABCDEF0123456789' },
    thumbprint: 'A'.repeat(40),
    thumbprintKnown: true,
    claims: { kind: 'certificate', source: 'pfx-file', inspected: true, thumbprint: 'A'.repeat(40), subject: 'CN=partner', issuer: 'CN=Partner CA', notAfter: '2031-01-01T00:00:00.000Z' },
    ...made.certificate,
  };
  const api: PlanApi = {
    key: `${SERVICE_KEY}/api:orders-api`,
    address: 'azurerm_api_management_api.orders',
    name: 'orders-api',
    path: known('orders'),
    protocols: known(['https']),
    subscriptionRequired: known(true),
    serviceUrl: known('https://orders.internal.example'),
    operations: [{ key: 'GET /orders', method: 'GET', urlTemplate: '/orders', source: 'resource' }],
    productLinks: [],
    ...made.api,
  };
  const service: PlanService = {
    key: SERVICE_KEY,
    name: known('contoso-gateway'),
    address: 'azurerm_api_management.apim',
    managed: true,
    skuName: known('Consumption_0'),
    requiredMechanism: 'consumption-flag' as PlanService['requiredMechanism'],
    mechanisms: ['consumption-flag' as PlanService['mechanisms'][number]],
    asksForCertificates: known(true),
    caCertificates: [],
    apis: [api],
    products: [],
    certificates: [certificate],
    backends: [],
    fragments: [],
    namedValues: [],
    ...made.service,
  };
  return {
    plan: { services: [service], unreadable: [], symbols: [] },
    services: [
      {
        service: SERVICE_KEY,
        name: service.name,
        asksForCertificates: service.asksForCertificates,
        callers,
        operations: [
          {
            ref: { service: SERVICE_KEY, api: api.key, apiMatch: 'path:orders', apiName: 'orders-api', apiPath: 'orders', operation: 'GET /orders', method: 'GET', urlTemplate: '/orders', route: 'none' },
            chain: [{ kind: 'api' as never, address: 'azurerm_api_management_api_policy.orders', text: known('<policies />') }],
            cells: callers.map((caller) => ({ caller, verdict: made.verdicts?.[caller.key] ?? REJECTED, scopesRun: ['azurerm_api_management_api_policy.orders'], inboundScopesRun: ['azurerm_api_management_api_policy.orders'], ...made.cellFacts?.[caller.key] })),
          },
        ],
      },
    ],
  };
}
