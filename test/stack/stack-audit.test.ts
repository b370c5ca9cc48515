import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
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

describe('an app that skips validation', () => {
  function appWithBypass(skipValidation: boolean) {
    const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-skip-'));
    const app = new App({ outdir, skipValidation });
    const stack = new TerraformStack(app, 'skipping');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const apim = newService(stack, 'Developer_1');
    const api = new ClientCertGatedApi(stack, 'Gated', {
      apiManagement: apim, displayName: 'Gated', path: 'gated', serviceUrl: 'https://a.example.com',
      trust: ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']),
    });
    // Answers every caller before <base />, so the gate never runs.
    new ApiManagementApiOperationPolicy(stack, 'Bypass', {
      apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, apiName: api.api.name, operationId: api.operations[0].operationId,
      xmlContent: '<policies><inbound><return-response><set-status code="200" /></return-response><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>',
    });
    return { app, outdir };
  }

  test('writes the bypass, as cdktf does, but warns in the manifest that no gate was proven', () => {
    const { app, outdir } = appWithBypass(true);
    app.synth();
    const manifest = readFileSync(join(outdir, 'manifest.json'), 'utf8');
    expect(manifest).toContain('the app skips validation (skipValidation: true), so the synth-time proof of the client-certificate gates and the stack checks did not run');
  });

  test('without skipValidation the same bypass fails synth and nothing says validation was skipped', () => {
    const { app, outdir } = appWithBypass(false);
    expect(() => app.synth()).toThrow(/does not run the gate/);
    expect(existsSync(join(outdir, 'manifest.json')) ? readFileSync(join(outdir, 'manifest.json'), 'utf8') : '').not.toContain('skips validation');
  });
});
