'use strict';
// The benchmark's stack written with the library: a service, and per API an uploaded PFX
// certificate, a mutual-TLS backend presenting it and a gated API (policy, catch-all operations).
const lib = require('../../lib');

const PINNED = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';

module.exports = function libraryStack(stack, { count, pfxFiles, trustUploaded }) {
  const apim = new lib.ApiManagementService(stack, 'Apim', {
    name: 'bench-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'Bench', publisherEmail: 'b@example.com', skuName: 'Developer_1',
  });
  const password = lib.Secret.fromEnvironment('BENCH_PFX_PASSWORD');
  const trust = trustUploaded ? lib.ClientCertificateTrust.uploadedCertificates() : lib.ClientCertificateTrust.thumbprints([PINNED]);
  for (let i = 0; i < count; i++) {
    const file = pfxFiles.files[i % pfxFiles.files.length];
    const certificate = new lib.UploadedCertificate(stack, `Cert${i}`, {
      apiManagement: apim, source: lib.CertificateSource.fromPfxFile(file.path, { password }),
    });
    const backend = new lib.MutualTlsBackend(stack, `Backend${i}`, {
      apiManagement: apim, url: `https://backend-${i}.example.com`, clientCertificate: certificate,
    });
    new lib.ClientCertGatedApi(stack, `Api${i}`, { apiManagement: apim, displayName: `API ${i}`, path: `api-${i}`, backend, trust });
  }
};
