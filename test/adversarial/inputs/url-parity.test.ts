import { TerraformStack, TerraformVariable } from 'cdktf';
import { CertificateSource, ClientCertGatedApi, ClientCertificateTrust, MutualTlsBackend, UploadedCertificate } from '../../../src';
import { newService, newStack, onlyResource, synthJson, warningsOf } from '../../support/stack';
import { evaluateTemplate, TerraformPlanError } from '../../support/terraform-evaluation';

/*
 * Input parity: every URL gets the same verdict as an API's serviceUrl and as a mutual TLS
 * backend's url (plain http aside, by design), and every URL refused as literal text also fails
 * the plan when it arrives as a Terraform value. Each row states the verdict expected before it
 * was run; a refusal must name the construct path and the value.
 */

const PARTNER = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

type Verdict = { readonly refused: RegExp } | 'accepted';

const URLS: ReadonlyArray<readonly [string, string, Verdict]> = [
  ['user information', 'https://user@orders.example.com/api', { refused: /contains credentials/ }],
  ['an empty user information', 'https://@orders.example.com/api', { refused: /has an "@" before the host/ }],
  ['the expected host as user information before another host', 'https://orders.example.com@evil.example/', { refused: /contains credentials/ }],
  ['a backslash before an "@"', 'https://orders.example.com\\@evil.example/', { refused: /contains a backslash/ }],
  ['a backslash as path separator', 'https://orders.example.com\\api', { refused: /contains a backslash/ }],
  ['a scheme without "//"', 'https:orders.example.com/api', { refused: /is not written as "https:\/\/" followed by the host/ }],
  ['a scheme with one "/"', 'https:/orders.example.com/api', { refused: /is not written as "https:\/\/" followed by the host/ }],
  ['a scheme with three "/"', 'https:///orders.example.com/api', { refused: /is not written as "https:\/\/" followed by the host/ }],
  ['a percent-encoded host', 'https://%6Frders.example.com/api', { refused: /names host "%6frders\.example\.com", which URL parsers read as "orders\.example\.com"/ }],
  ['a hexadecimal IPv4 shorthand', 'https://0x7f.1/api', { refused: /names host "0x7f\.1", which URL parsers read as "127\.0\.0\.1"/ }],
  ['an IPv4 address with a leading zero', 'https://010.0.0.1/api', { refused: /which URL parsers read as "8\.0\.0\.1"/ }],
  ['a Unicode host', 'https://bücher.example/api', { refused: /contains non-ASCII characters\. Write the host in its punycode form/ }],
  ['port 0', 'https://orders.example.com:0/api', { refused: /has port 0/ }],
  ['port 65536', 'https://orders.example.com:65536/api', { refused: /has port 65536, above 65535/ }],
  ['a ".." segment', 'https://orders.example.com/api/../admin', { refused: /has a "\.\." path segment/ }],
  ['a "." segment', 'https://orders.example.com/./api', { refused: /has a "\." path segment/ }],
  ['a percent-encoded ".." segment', 'https://orders.example.com/api/%2e%2e/admin', { refused: /has a "%2e%2e" path segment/ }],
  ['a half-encoded ".." segment in upper case', 'https://orders.example.com/api/.%2E/admin', { refused: /has a "\.%2E" path segment/ }],
  ['a query string', 'https://orders.example.com/api?next=x', { refused: /has a query string or fragment/ }],
  ['a fragment', 'https://orders.example.com/api#x', { refused: /has a query string or fragment/ }],
  ['a tab', 'https://orders.example.com/\tapi', { refused: /contains spaces or control characters/ }],
  ['a named value', 'https://orders.example.com/{{path}}', { refused: /contains "\{\{"/ }],
  ['a Terraform interpolation', 'https://orders.example.com/${var.path}', { refused: /contains "\$\{" or "%\{"/ }],
  ['a right-to-left override', 'https://orders.example.com/\u202Enimda', { refused: /contains invisible, bidirectional.*U\+202E/ }],
  ['an IPv6 address with a port', 'https://[2001:db8::1]:8443/api', 'accepted'],
  ['a punycode host', 'https://xn--bcher-kva.example/api', 'accepted'],
  ['an upper-case scheme and host', 'HTTPS://ORDERS.EXAMPLE.COM/api', 'accepted'],
  ['the default port', 'https://orders.example.com:443/api', 'accepted'],
  ['a trailing dot after the host', 'https://orders.example.com./api', 'accepted'],
  ['a dotted IPv4 address', 'https://10.0.0.1/api', 'accepted'],
  ['segments that only start with dots', 'https://orders.example.com/.well-known/a..b/...', 'accepted'],
  ['a percent-encoded space', 'https://orders.example.com/api%20v1', 'accepted'],
];

/** What follows `prefix` in the message `build` throws (which must start with it), or undefined when it does not throw. */
function problemAfter(prefix: string, build: () => void): string | undefined {
  try {
    build();
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    expect(message.startsWith(prefix)).toBe(true);
    return message.slice(prefix.length);
  }
}

function serviceUrlProblem(url: string): string | undefined {
  const stack = newStack();
  return problemAfter(`test/OrdersApi: serviceUrl ${JSON.stringify(url)} `, () => {
    new ClientCertGatedApi(stack, 'OrdersApi', {
      apiManagement: newService(stack), displayName: 'Orders', path: 'orders', serviceUrl: url, trust: ClientCertificateTrust.thumbprints([PARTNER]),
    });
  });
}

function backendUrlProblem(url: string): string | undefined {
  const stack = newStack();
  const apim = newService(stack);
  const certificate = new UploadedCertificate(stack, 'Client', {
    apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client'),
  });
  return problemAfter(`test/OrdersBackend: url ${JSON.stringify(url)} `, () => {
    new MutualTlsBackend(stack, 'OrdersBackend', { apiManagement: apim, url, clientCertificate: certificate });
  });
}

describe('serviceUrl and a backend url give the same verdict, naming the construct and the value', () => {
  test.each(URLS)('%s (%j) is %p on both', (_label, url, verdict) => {
    const asServiceUrl = serviceUrlProblem(url);
    expect(backendUrlProblem(url)).toBe(asServiceUrl);
    if (verdict === 'accepted') expect(asServiceUrl).toBeUndefined();
    else expect(asServiceUrl).toMatch(verdict.refused);
  });

  test('plain http with an upper-case scheme is warned on an API and refused on a mutual TLS backend, as documented', () => {
    const stack = newStack();
    const api = new ClientCertGatedApi(stack, 'OrdersApi', {
      apiManagement: newService(stack), displayName: 'Orders', path: 'orders', serviceUrl: 'HTTP://orders.example.com', trust: ClientCertificateTrust.thumbprints([PARTNER]),
    });
    expect(warningsOf(api)).toEqual([expect.stringMatching(/^serviceUrl "HTTP:\/\/orders\.example\.com" is plain http/)]);
    expect(backendUrlProblem('HTTP://orders.example.com')).toMatch(/^is not an https:\/\/ URL/);
  });
});

describe('a URL refused as literal text also fails the plan as a Terraform value', () => {
  type Place = 'serviceUrl' | 'backend url';
  const evaluators = new Map<Place, (value: string) => string>();

  /** Terraform's evaluation of the place where a `url` variable is written; synthesized once per place. */
  function evaluatorFor(place: Place): (value: string) => string {
    let evaluate = evaluators.get(place);
    if (evaluate) return evaluate;
    const stack: TerraformStack = newStack();
    const variable = new TerraformVariable(stack, 'url', { type: 'string' });
    const apim = newService(stack);
    if (place === 'serviceUrl') {
      new ClientCertGatedApi(stack, 'OrdersApi', {
        apiManagement: apim, displayName: 'Orders', path: 'orders', serviceUrl: variable.stringValue, trust: ClientCertificateTrust.thumbprints([PARTNER]),
      });
    } else {
      const certificate = new UploadedCertificate(stack, 'Client', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client') });
      new MutualTlsBackend(stack, 'OrdersBackend', { apiManagement: apim, url: variable.stringValue, clientCertificate: certificate });
    }
    const json = synthJson(stack);
    const template: string = place === 'serviceUrl' ? onlyResource(json, 'azurerm_api_management_api_policy').xml_content : onlyResource(json, 'azurerm_api_management_backend').url;
    evaluate = (value) => evaluateTemplate(template, { url: value });
    evaluators.set(place, evaluate);
    return evaluate;
  }

  const places: Place[] = ['serviceUrl', 'backend url'];
  const refused = URLS.filter(([, , verdict]) => verdict !== 'accepted');
  // The guard holds Terraform values to one plain form: lower-case https, a DNS name or dotted IPv4.
  const plainAccepted = URLS.filter(([, url, verdict]) => verdict === 'accepted' && url.startsWith('https://') && !url.includes('['));

  test.each(places.flatMap((place) => refused.map(([label, url]) => [place, label, url] as const)))('as %s, %s fails the plan', (place, _label, url) => {
    expect(() => evaluatorFor(place)(url)).toThrow(TerraformPlanError);
  });

  test.each(places.flatMap((place) => plainAccepted.map(([label, url]) => [place, label, url] as const)))('as %s, %s passes the plan unchanged', (place, _label, url) => {
    expect(evaluatorFor(place)(url)).toContain(place === 'serviceUrl' ? `base-url="${url}"` : url);
  });
});
