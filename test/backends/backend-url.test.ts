import { ClientCertGatedApi, ClientCertificateTrust, MutualTlsBackend, CertificateSource, UploadedCertificate } from '../../src';
import { checkBackendUrl } from '../../src/backends/backend-url';
import { newService, newStack } from '../support/stack';

const PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

/** Bad URLs, each with the part of the message that names its fix. */
const BAD_URLS: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['a query string', 'https://orders.example.com/api?code=x', /has a query string or fragment.*Remove them/],
  ['an empty query string', 'https://orders.example.com/api?', /has a query string or fragment/],
  ['a fragment', 'https://orders.example.com/api#top', /has a query string or fragment/],
  ['a named value', 'https://orders.example.com/{{backend-path}}', /contains "\{\{", which APIM would replace with a named value/],
  ['Terraform interpolation', 'https://orders.example.com/${var.x}', /contains "\$\{" or "%\{", which Terraform would interpolate/],
  ['a Terraform directive', 'https://orders.example.com/%{if true}x%{endif}', /contains "\$\{" or "%\{"/],
  ['a line break', 'https://orders.example.com/a\nb', /contains spaces or control characters/],
  ['a tab', 'https://orders.example.com/\tapi', /contains spaces or control characters/],
  ['a leading space', ' https://orders.example.com', /contains spaces or control characters/],
  ['a DEL character', 'https://orders.example.com/a\u007Fb', /contains spaces or control characters/],
  ['a right-to-left override', 'https://orders.example.com/\u202Emoc.live', /contains invisible, bidirectional or unpaired surrogate characters \(U\+202E\) at .*<U\+202E>moc.live.*Retype/],
  ['a zero-width space in the host', 'https://orders\u200B.example.com', /contains invisible.*\(U\+200B\) at .*orders<U\+200B>\.example/],
  ['a non-ASCII host', 'https://bücher.example.com', /contains non-ASCII characters. Write the host in its punycode form/],
  ['a port above 65535', 'https://orders.example.com:70000/api', /has port 70000, above 65535, the highest TCP port/],
  ['a huge port', 'https://orders.example.com:99999999999', /has port 99999999999, above 65535/],
  ['a relative URL', 'orders/api', /is not an absolute URL/],
  ['an ftp URL', 'ftp://orders.example.com', /uses "ftp:"/],
  ['credentials', 'https://user:pw@orders.example.com', /contains credentials/],
  ['an empty string', '', /is empty/],
];

describe('checkBackendUrl', () => {
  test.each(BAD_URLS)('refuses %s', (_label, url, message) => {
    expect(checkBackendUrl(url).problem).toMatch(message);
  });

  test.each([
    ['https://orders.example.com', false],
    ['https://orders.example.com:8443/api/v1', false],
    ['https://orders.example.com:65535', false],
    ['https://orders.example.com/api/@team/%20x', false],
    ['http://orders.example.com', true],
  ])('accepts %s (plain http flagged insecure: %s)', (url, insecure) => {
    expect(checkBackendUrl(url)).toEqual({ insecure });
  });
});

describe('serviceUrl and a backend url get the same checks, each error naming its construct', () => {
  function gatedApi(serviceUrl: string) {
    const stack = newStack();
    new ClientCertGatedApi(stack, 'OrdersApi', {
      apiManagement: newService(stack), displayName: 'Orders', path: 'orders', serviceUrl, trust: ClientCertificateTrust.thumbprints([PARTNER]),
    });
  }
  function backend(url: string) {
    const stack = newStack();
    const apim = newService(stack);
    const certificate = new UploadedCertificate(stack, 'Client', {
      apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client'),
    });
    new MutualTlsBackend(stack, 'OrdersBackend', { apiManagement: apim, url, clientCertificate: certificate });
  }

  test.each(BAD_URLS)('%s', (_label, url, message) => {
    const quoted = JSON.stringify(url).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(() => gatedApi(url)).toThrow(new RegExp(`^test/OrdersApi: serviceUrl ${quoted} ${message.source}`));
    expect(() => backend(url)).toThrow(new RegExp(`^test/OrdersBackend: url ${quoted} ${message.source}`));
  });

  test('plain http is warned on an API and refused on a mutual TLS backend', () => {
    expect(() => gatedApi('http://orders.example.com')).not.toThrow();
    expect(() => backend('http://orders.example.com')).toThrow(/^test\/OrdersBackend: url "http:\/\/orders.example.com" is not an https:\/\/ URL/);
  });
});
