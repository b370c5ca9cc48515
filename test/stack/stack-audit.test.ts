import { CertificateSource, ClientCertGatedApi, ClientCertificateTrust, MutualTlsBackend, UploadedCertificate } from '../../src';
import { newService, newStack, synthJson, warningsOf } from '../support/stack';

describe('the stack-level checks', () => {
  test('a gate trusting every uploaded certificate is warned once, naming a few backend certificates', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    for (const name of ['Open', 'AlsoOpen']) {
      new ClientCertGatedApi(stack, name, { apiManagement: apim, displayName: name, path: name.toLowerCase(), serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.uploadedCertificates() });
    }
    for (let i = 0; i < 7; i++) {
      const certificate = new UploadedCertificate(stack, `Client${i}`, { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret(`https://contoso-kv.vault.azure.net/secrets/client-${i}`) });
      new MutualTlsBackend(stack, `Backend${i}`, { apiManagement: apim, url: `https://b${i}.example.com`, clientCertificate: certificate });
    }
    synthJson(stack);
    synthJson(stack);
    const warnings = warningsOf(stack).filter((w) => w.startsWith('trust is ClientCertificateTrust.uploadedCertificates()'));
    expect(warnings).toHaveLength(2);
    for (const warning of warnings) {
      expect(warning).toContain('backend client certificate(s) "client0", "client1", "client2", "client3", "client4" and 2 more uploaded to the same service');
    }
  });

  test('a gate on another service is not warned about these backends', () => {
    const stack = newStack();
    const apim = newService(stack, 'Developer_1');
    const other = newService(stack, 'Developer_1', 'Other');
    other.resource.name = 'other-apim';
    new ClientCertGatedApi(stack, 'Open', { apiManagement: other, displayName: 'O', path: 'o', serviceUrl: 'https://a.example.com', trust: ClientCertificateTrust.uploadedCertificates() });
    const certificate = new UploadedCertificate(stack, 'Client', { apiManagement: apim, source: CertificateSource.fromKeyVaultSecret('https://contoso-kv.vault.azure.net/secrets/client') });
    new MutualTlsBackend(stack, 'Backend', { apiManagement: apim, url: 'https://b.example.com', clientCertificate: certificate });
    synthJson(stack);
    expect(warningsOf(stack).filter((w) => w.startsWith('trust is'))).toEqual([]);
  });
});
