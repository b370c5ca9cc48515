import { ClientCertificateNegotiation } from '../../src';
import { negotiationProblem } from '../../src/service/negotiation-problem';

const HOSTS = ['svc.azure-api.net', 'api.contoso.com'];
const proxy = (host: string, negotiate?: unknown) => ({ host_name: host, ...(negotiate === undefined ? {} : { negotiate_client_certificate: negotiate }) });

describe('negotiationProblem reads the service as synthesized', () => {
  test.each<[string, Record<string, unknown>, string | undefined]>([
    ['every host negotiates', { hostname_configuration: { proxy: [proxy('svc.azure-api.net', true), proxy('API.contoso.com', true)] } }, undefined],
    ['a host is missing', { hostname_configuration: { proxy: [proxy('svc.azure-api.net', true)] } }, 'gateway host "api.contoso.com" does not negotiate'],
    ['a block says false', { hostname_configuration: { proxy: [proxy('svc.azure-api.net', false), proxy('api.contoso.com', true)] } }, 'gateway host "svc.azure-api.net" does not negotiate'],
    ['no hostname configuration at all', {}, 'gateway host "svc.azure-api.net", "api.contoso.com" does not negotiate'],
    ['a value only Terraform knows is not judged', { hostname_configuration: { proxy: '${var.proxies}' } }, undefined],
  ])('classic: %s', (_label, values, problem) => {
    const found = negotiationProblem(values, ClientCertificateNegotiation.HOSTNAME_NEGOTIATION, HOSTS);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test('Consumption needs the flag; v2 is judged by its azapi resource, not here', () => {
    expect(negotiationProblem({ client_certificate_enabled: true }, ClientCertificateNegotiation.CONSUMPTION_FLAG, HOSTS)).toBeUndefined();
    expect(negotiationProblem({}, ClientCertificateNegotiation.CONSUMPTION_FLAG, HOSTS)).toContain('client_certificate_enabled is null');
    expect(negotiationProblem({}, ClientCertificateNegotiation.AZAPI_ENABLE_CLIENT_CERTIFICATE, HOSTS)).toBeUndefined();
  });
});
