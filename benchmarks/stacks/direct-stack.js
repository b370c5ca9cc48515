'use strict';
// The benchmark's stack written by hand with the provider classes: the same resources, values,
// dependencies and review claims the library writes (benchmarks/fairness.js compares the two
// cdk.tf.json). A hand-written stack knows its certificates' facts in advance, so they come
// from pfx-files.json instead of being read from the files.
const { AssetType, Fn, TerraformAsset, TerraformVariable } = require('cdktf');
const { ApiManagement } = require('@cdktf/provider-azurerm/lib/api-management');
const { ApiManagementApi } = require('@cdktf/provider-azurerm/lib/api-management-api');
const { ApiManagementApiOperation } = require('@cdktf/provider-azurerm/lib/api-management-api-operation');
const { ApiManagementApiPolicy } = require('@cdktf/provider-azurerm/lib/api-management-api-policy');
const { ApiManagementBackend } = require('@cdktf/provider-azurerm/lib/api-management-backend');
const { ApiManagementCertificateA } = require('@cdktf/provider-azurerm/lib/api-management-certificate');

const PINNED = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

const policyXml = (backendId, certificateId) => `<policies>
  <inbound>
    <base />
    <validate-client-certificate validate-revocation="false" validate-trust="false" validate-not-before="true" validate-not-after="true" ignore-error="false">
      <identities>
        <identity thumbprint="${PINNED}" />
      </identities>
    </validate-client-certificate>
    <set-backend-service backend-id="${backendId}" />
    <authentication-certificate certificate-id="${certificateId}" />
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

module.exports = function directStack(stack, { count, pfxFiles }) {
  const claim = (resource, value) => resource.addOverride('//.cdktf-apim-mtls', value);
  const apim = new ApiManagement(stack, 'Apim_Service', {
    name: 'bench-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'Bench', publisherEmail: 'b@example.com', skuName: 'Developer_1',
    hostnameConfiguration: { proxy: [{ hostName: 'bench-apim.azure-api.net', negotiateClientCertificate: true }] },
  });
  claim(apim, { kind: 'service', clientCertificateNegotiation: 'hostname-negotiation' });
  const password = new TerraformVariable(stack, 'bench_pfx_password', {
    type: 'string', sensitive: true, nullable: false,
    description: 'Secret for cdktf-apim-mtls, read from BENCH_PFX_PASSWORD at synth; set TF_VAR_bench_pfx_password when running terraform.',
  });
  const service = { apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName };
  for (let i = 0; i < count; i++) {
    const file = pfxFiles.files[i % pfxFiles.files.length];
    const asset = new TerraformAsset(stack, `Cert${i}_PfxFile`, { path: file.path, type: AssetType.FILE });
    const certificateId = `cert${i}-${file.sha256Prefix}`;
    const certificate = new ApiManagementCertificateA(stack, `Cert${i}_Certificate`, {
      ...service, name: certificateId, data: Fn.filebase64(asset.path), password: password.stringValue, lifecycle: { createBeforeDestroy: true },
    });
    claim(certificate, {
      kind: 'certificate', source: 'pfx-file', fileName: file.path.split('/').pop(), inspected: true,
      thumbprint: file.thumbprint, subject: file.subject, issuer: file.issuer, notBefore: file.notBefore, notAfter: file.notAfter, selfSigned: true,
    });
    const backend = new ApiManagementBackend(stack, `Backend${i}_Backend`, {
      ...service, name: `backend${i}`, protocol: 'http', url: `https://backend-${i}.example.com`,
      credentials: { certificate: [file.thumbprint] }, tls: { validateCertificateChain: true, validateCertificateName: true },
      dependsOn: [certificate],
    });
    claim(backend, { kind: 'mutual-tls-backend', clientCertificateId: certificateId, presentedBy: 'api-policy' });
    const api = new ApiManagementApi(stack, `Api${i}_Api`, {
      ...service, name: `api${i}`, revision: '1', displayName: `API ${i}`, path: `api-${i}`, protocols: ['https'], subscriptionRequired: true,
    });
    const policy = new ApiManagementApiPolicy(stack, `Api${i}_Policy`, {
      ...service, apiName: api.name, xmlContent: policyXml(`backend${i}`, certificateId), dependsOn: [certificate, backend],
    });
    for (const method of METHODS) {
      new ApiManagementApiOperation(stack, `Api${i}_${method.charAt(0)}${method.slice(1).toLowerCase()}All`, {
        ...service, apiName: api.name, operationId: `${method.toLowerCase()}-all`, displayName: `${method} /*`, method, urlTemplate: '/*', dependsOn: [policy],
      });
    }
  }
};
