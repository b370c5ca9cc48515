'use strict';
// One measurement in a fresh process: synthesize N gated APIs (each with a backend and an
// uploaded certificate) through the library or with the provider classes directly, and print
// JSON with wall time and peak memory. Usage: node synth-worker.js <library|uploaded|direct> <N> <pfx> <outdir>
// `uploaded` is the library with every API trusting any uploaded certificate, which once made
// synth quadratic (a per-API check that walked the whole stack).
const { performance } = require('node:perf_hooks');
const [mode, countText, pfxPath, outdir] = process.argv.slice(2);
const count = Number(countText);
const start = performance.now();

const { App, TerraformStack, TerraformAsset, AssetType, Fn, TerraformVariable } = require('cdktf');
const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
const { ApiManagement } = require('@cdktf/provider-azurerm/lib/api-management');

const app = new App({ outdir });
const stack = new TerraformStack(app, 'bench');
new AzurermProvider(stack, 'azurerm', { features: [{}] });
const loaded = performance.now();

const THUMBPRINT = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

if (mode === 'library' || mode === 'uploaded') {
  const lib = require('../lib');
  const apim = new lib.ApiManagementService(stack, 'Apim', {
    name: 'bench-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'Bench', publisherEmail: 'b@example.com', skuName: 'Developer_1',
  });
  const password = lib.Secret.fromEnvironment('BENCH_PFX_PASSWORD');
  for (let i = 0; i < count; i++) {
    const certificate = new lib.UploadedCertificate(stack, `Cert${i}`, {
      apiManagement: apim, source: lib.CertificateSource.fromPfxFile(pfxPath, { password }),
    });
    const backend = new lib.MutualTlsBackend(stack, `Backend${i}`, {
      apiManagement: apim, url: `https://backend-${i}.example.com`, clientCertificate: certificate,
    });
    new lib.ClientCertGatedApi(stack, `Api${i}`, {
      apiManagement: apim, displayName: `API ${i}`, path: `api-${i}`, backend,
      trust: mode === 'uploaded' ? lib.ClientCertificateTrust.uploadedCertificates() : lib.ClientCertificateTrust.thumbprints([THUMBPRINT]),
    });
  }
} else {
  const { ApiManagementCertificateA } = require('@cdktf/provider-azurerm/lib/api-management-certificate');
  const { ApiManagementBackend } = require('@cdktf/provider-azurerm/lib/api-management-backend');
  const { ApiManagementApi } = require('@cdktf/provider-azurerm/lib/api-management-api');
  const { ApiManagementApiPolicy } = require('@cdktf/provider-azurerm/lib/api-management-api-policy');
  const apim = new ApiManagement(stack, 'Apim', {
    name: 'bench-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'Bench', publisherEmail: 'b@example.com', skuName: 'Developer_1',
    hostnameConfiguration: { proxy: [{ hostName: 'bench-apim.azure-api.net', negotiateClientCertificate: true }] },
  });
  const password = new TerraformVariable(stack, 'bench_pfx_password', { type: 'string', sensitive: true });
  const xml = (backendId) => `<policies>
  <inbound>
    <base />
    <validate-client-certificate validate-revocation="false" validate-trust="false" validate-not-before="true" validate-not-after="true" ignore-error="false">
      <identities>
        <identity thumbprint="${THUMBPRINT}" />
      </identities>
    </validate-client-certificate>
    <set-backend-service backend-id="${backendId}" />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
`;
  for (let i = 0; i < count; i++) {
    const asset = new TerraformAsset(stack, `CertFile${i}`, { path: pfxPath, type: AssetType.FILE });
    const certificate = new ApiManagementCertificateA(stack, `Cert${i}`, {
      name: `cert-${i}`, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName,
      data: Fn.filebase64(asset.path), password: password.stringValue, lifecycle: { createBeforeDestroy: true },
    });
    const backend = new ApiManagementBackend(stack, `Backend${i}`, {
      name: `backend-${i}`, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName,
      protocol: 'http', url: `https://backend-${i}.example.com`,
      credentials: { certificate: [THUMBPRINT] }, tls: { validateCertificateChain: true, validateCertificateName: true },
      dependsOn: [certificate],
    });
    const api = new ApiManagementApi(stack, `Api${i}`, {
      name: `api-${i}`, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName, revision: '1',
      displayName: `API ${i}`, path: `api-${i}`, protocols: ['https'], subscriptionRequired: true,
    });
    new ApiManagementApiPolicy(stack, `Policy${i}`, {
      apiName: api.name, apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName,
      xmlContent: xml(`backend-${i}`), dependsOn: [backend],
    });
  }
}
const built = performance.now();
app.synth();
const done = performance.now();
process.stdout.write(JSON.stringify({
  mode, count,
  loadMs: loaded - start,
  constructMs: built - loaded,
  synthMs: done - built,
  totalMs: done - start,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
}) + '\n');
