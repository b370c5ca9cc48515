import { accessMatrix, CallerKind, CallerRole, Destination } from '../../src/access';
import { readPlan } from '../../src/plan';
import { issueCertificate } from '../support/x509';
import { api, apiPolicy, backend, certificate, gate, OTHER_PARTNER, PARTNER, policy, service, terraform } from '../support/terraform-config';
import { cell, row, verdictOf } from './support';

const NOW = new Date('2030-01-01T00:00:00Z');
const CLAIMED = {
  thumbprint: PARTNER,
  subject: 'CN=partner-a, O=Partner A',
  issuer: 'CN=Contoso Partner CA',
  notBefore: '2029-01-01T00:00:00.000Z',
  notAfter: '2031-01-01T00:00:00.000Z',
  selfSigned: false,
};
const PARTNER_CERT = 'certificate:azurerm_api_management_certificate.partner';

function matrix(...blocks: Parameters<typeof terraform>) {
  return accessMatrix(readPlan(terraform(...blocks)), { now: NOW });
}

describe('the callers of a service', () => {
  test('each certificate of the plan, pinned thumbprints no certificate has, an unknown one, none, expired copies (the unknown one\'s too) and impostors', () => {
    const m = matrix(service(), certificate('partner', CLAIMED), certificate('gateway-client'), api('orders'), apiPolicy('orders', policy(gate({ thumbprints: [PARTNER, OTHER_PARTNER] }))));
    expect(m.services[0].callers.map((c) => [c.key, c.kind])).toEqual([
      ['certificate:azurerm_api_management_certificate.gateway-client', CallerKind.CERTIFICATE],
      [PARTNER_CERT, CallerKind.CERTIFICATE],
      [`thumbprint:${OTHER_PARTNER}`, CallerKind.PINNED_THUMBPRINT],
      ['unknown', CallerKind.UNKNOWN_CERTIFICATE],
      ['none', CallerKind.NO_CERTIFICATE],
      ['forged-header', CallerKind.FORGED_HEADER],
      ['expired:unknown', CallerKind.EXPIRED],
      ['expired:certificate:azurerm_api_management_certificate.gateway-client', CallerKind.EXPIRED],
      [`expired:${PARTNER_CERT}`, CallerKind.EXPIRED],
      [`impostor:${PARTNER_CERT}`, CallerKind.IMPOSTOR],
      [`expired:thumbprint:${OTHER_PARTNER}`, CallerKind.EXPIRED],
    ]);
    const partner = m.services[0].callers.find((c) => c.key === PARTNER_CERT)!;
    expect(partner).toMatchObject({ thumbprint: PARTNER, subject: CLAIMED.subject, issuer: CLAIMED.issuer, roles: [CallerRole.CLIENT] });
    expect(m.services[0].callers[0]).toMatchObject({ placeholderThumbprint: true });
  });

  test.each([
    ['the pinned partner', PARTNER_CERT, 'forwarded to orders.internal.example'],
    ['another pinned thumbprint', `thumbprint:${OTHER_PARTNER}`, 'forwarded to orders.internal.example'],
    ['an unknown certificate', 'unknown', 'rejected 401 by azurerm_api_management_api_policy.orders_policy'],
    ['no certificate', 'none', 'rejected 401 by azurerm_api_management_api_policy.orders_policy'],
    ['the partner after it expired', `expired:${PARTNER_CERT}`, 'rejected 401 by azurerm_api_management_api_policy.orders_policy'],
    ['an impostor of the partner', `impostor:${PARTNER_CERT}`, 'rejected 401 by azurerm_api_management_api_policy.orders_policy'],
  ])('GET /* of a pinning gate with %s is %s', (_, caller, expected) => {
    const m = matrix(service(), certificate('partner', CLAIMED), api('orders'), apiPolicy('orders', policy(gate({ thumbprints: [PARTNER, OTHER_PARTNER] }))));
    expect(verdictOf(m, 'orders', '*', caller)).toBe(expected);
  });

  test('a gate that trusts a forwarded certificate header admits the caller who forges it, and any caller that sends the header', () => {
    const headerGate = `<choose><when condition='@(context.Request.Headers.GetValueOrDefault("X-ARR-ClientCert", "") == "")'><return-response><set-status code="401" reason="no" /></return-response></when></choose>`;
    const m = matrix(service(), api('orders'), apiPolicy('orders', policy(headerGate)));
    expect(verdictOf(m, 'orders', '*', 'forged-header')).toBe('forwarded to orders.internal.example');
    // Headers are the caller's to choose: the caller without a certificate gets in by sending it too.
    const none = m.services[0].operations.find((row) => row.ref.api.includes('orders'))!.cells.find((cell) => cell.caller.key === 'none')!;
    expect(none.verdict).toMatchObject({ kind: 'forwarded', chosenHeaders: ['x-arr-clientcert'] });
  });

  test('a policy that reads a header before its gate, letting nobody in for it, rejects only for the headers sent', () => {
    const logsHeader = `<set-variable name="agent" value='@(context.Request.Headers.GetValueOrDefault("User-Agent", ""))' />`;
    const m = matrix(service(), api('orders'), apiPolicy('orders', policy(`${logsHeader}${gate()}`)));
    const cells = m.services[0].operations.find((row) => row.ref.api.includes('orders'))!.cells;
    for (const key of ['none', 'unknown']) {
      expect(verdictOf(m, 'orders', '*', key)).toBe('rejected 401 by azurerm_api_management_api_policy.orders_policy');
      expect(cells.find((cell) => cell.caller.key === key)!.verdict).toMatchObject({ kind: 'rejected', steerableBy: ['user-agent'] });
    }
  });

  test('a header name no request can carry is not one a caller can send', () => {
    const readsImpossible = `<set-variable name="x" value='@(context.Request.Headers.GetValueOrDefault("X Cert: a", ""))' />`;
    const m = matrix(service(), api('orders'), apiPolicy('orders', policy(`${readsImpossible}${gate()}`)));
    const none = m.services[0].operations.find((row) => row.ref.api.includes('orders'))!.cells.find((cell) => cell.caller.key === 'none')!;
    expect(none.verdict).toMatchObject({ kind: 'rejected', status: 401 });
    expect(none.verdict).not.toHaveProperty('steerableBy');
  });

  test('validity checks turned off let the expired copy in', () => {
    const m = matrix(service(), certificate('partner', CLAIMED), api('orders'), apiPolicy('orders', policy(gate({ checkValidityPeriod: false }))));
    expect(verdictOf(m, 'orders', '*', `expired:${PARTNER_CERT}`)).toBe('forwarded to orders.internal.example');
  });

  test('a service that does not ask for certificates sees every caller without one', () => {
    const m = matrix(service({ client_certificate_enabled: undefined }), certificate('partner', CLAIMED), api('orders'), apiPolicy('orders', policy(gate())));
    expect(m.services[0].asksForCertificates).toEqual({ known: true, value: false });
    expect(verdictOf(m, 'orders', '*', PARTNER_CERT)).toBe('rejected 401 by azurerm_api_management_api_policy.orders_policy');
  });

  test('a pinned thumbprint a chain never compares has no cell there: it fares as the unknown certificate', () => {
    const m = matrix(service(), api('orders'), api('billing'), apiPolicy('orders', policy(gate({ thumbprints: [OTHER_PARTNER] }))), apiPolicy('billing', policy(gate())));
    const keys = (path: string) => row(m, path, '*').cells.map((c) => c.caller.key);
    expect(keys('billing')).not.toContain(`thumbprint:${OTHER_PARTNER}`);
    expect(keys('billing')).not.toContain(`expired:thumbprint:${OTHER_PARTNER}`);
    expect(keys('orders')).toContain(`thumbprint:${OTHER_PARTNER}`);
    // Expired, it fails the validity check before its thumbprint is compared: as the expired unknown certificate.
    expect(keys('orders')).not.toContain(`expired:thumbprint:${OTHER_PARTNER}`);
    expect(verdictOf(m, 'orders', '*', 'expired:unknown')).toBe('rejected 401 by azurerm_api_management_api_policy.orders_policy');
    expect(cell(m, 'orders', '*', `thumbprint:${OTHER_PARTNER}`).mentioned).toBe('thumbprint');
  });

  test('with validity checks off, the expired copy of a pinned thumbprint is compared, so it has a cell', () => {
    const m = matrix(service(), api('orders'), apiPolicy('orders', policy(gate({ thumbprints: [OTHER_PARTNER], checkValidityPeriod: false }))));
    expect(verdictOf(m, 'orders', '*', `expired:thumbprint:${OTHER_PARTNER}`)).toBe('forwarded to orders.internal.example');
  });
});

describe('certificates issued by an uploaded CA', () => {
  const ca = issueCertificate({ subject: 'CN=Contoso Partner CA, O=Contoso', ca: true });
  const caConfig = { sku_name: 'Developer_1', client_certificate_enabled: undefined, hostname_configuration: { proxy: [{ host_name: 'contoso-gateway.azure-api.net', negotiate_client_certificate: true }] }, certificate: [{ encoded_certificate: ca.der.toString('base64'), store_name: 'Root' }] };
  const leaf = `ca-leaf:${ca.thumbprint}`;

  test('a leaf of the CA passes a chain check; its impostor with the same names does not', () => {
    const m = matrix(service(caConfig), certificate('any'), api('orders'), apiPolicy('orders', policy(`<choose><when condition='@(context.Request.Certificate == null || !context.Request.Certificate.VerifyNoRevocation() || context.Request.Certificate.Issuer != "CN=Contoso Partner CA, O=Contoso")'>${'<return-response><set-status code="403" reason="no" /></return-response>'}</when></choose>`)));
    expect(verdictOf(m, 'orders', '*', leaf)).toBe('forwarded to orders.internal.example');
    expect(verdictOf(m, 'orders', '*', `impostor:${leaf}`)).toBe('rejected 403 by azurerm_api_management_api_policy.orders_policy');
  });

  test('a check on the issuer name alone lets the impostor in', () => {
    const m = matrix(service(caConfig), api('orders'), apiPolicy('orders', policy(`<choose><when condition='@(context.Request.Certificate == null || context.Request.Certificate.Issuer != "CN=Contoso Partner CA, O=Contoso")'><return-response><set-status code="403" reason="no" /></return-response></when></choose>`)));
    expect(verdictOf(m, 'orders', '*', `impostor:${leaf}`)).toBe('forwarded to orders.internal.example');
  });
});

describe('where a forwarded request goes', () => {
  test('backend-id: the backend of the plan, its URL, server checks and client certificate', () => {
    const m = matrix(
      service(),
      certificate('gateway-client', CLAIMED),
      backend('orders-backend', { credentials: { certificate: ['${azurerm_api_management_certificate.gateway-client.thumbprint}'] }, tls: { validate_certificate_chain: false, validate_certificate_name: true } }),
      api('orders'),
      apiPolicy('orders', policy(`<set-backend-service backend-id="orders-backend" />`)),
    );
    expect(cell(m, 'orders', '*', 'none').verdict).toEqual({
      kind: 'forwarded',
      destination: Destination.BACKEND,
      backend: 'azurerm_api_management_backend.orders-backend',
      url: { known: true, value: 'https://orders-backend.internal.example' },
      host: 'orders-backend.internal.example',
      presents: ['azurerm_api_management_certificate.gateway-client'],
      validateCertificateChain: { known: true, value: false },
      validateCertificateName: { known: true, value: true },
    });
    expect(m.services[0].callers.find((c) => c.key === 'certificate:azurerm_api_management_certificate.gateway-client')!.roles).toEqual([CallerRole.CLIENT, CallerRole.BACKEND_CLIENT]);
  });

  test('authentication-certificate by id names the uploaded certificate, which becomes a backend client', () => {
    const m = matrix(service(), certificate('gateway-client'), api('orders'), apiPolicy('orders', policy('<set-backend-service base-url="https://Orders.Example:8443/api" /><authentication-certificate certificate-id="gateway-client" />')));
    expect(cell(m, 'orders', '*', 'none').verdict).toMatchObject({ destination: Destination.BASE_URL, host: 'orders.example:8443', presents: ['azurerm_api_management_certificate.gateway-client'] });
    expect(m.services[0].callers[0].roles).toEqual([CallerRole.CLIENT, CallerRole.BACKEND_CLIENT]);
  });

  test('a backend-id that names no backend of the plan leaves the URL undecided', () => {
    const m = matrix(service(), api('orders'), apiPolicy('orders', policy('<set-backend-service backend-id="elsewhere" />')));
    expect(cell(m, 'orders', '*', 'none').verdict).toMatchObject({ destination: Destination.BACKEND, backend: 'elsewhere', url: { known: false } });
  });

  test('each operation of an API and "every other request" when the plan cannot list them all', () => {
    const m = matrix(service(), api('orders', { import: { content_format: 'openapi-link', content_value: 'https://example.com/o.json' } }));
    expect(m.services[0].operations.map((o) => o.ref.operation)).toEqual(['*']);
    expect(row(m, 'orders', '*').ref).toMatchObject({ apiMatch: 'path:orders', apiName: 'orders-api', route: 'none' });
  });
});
