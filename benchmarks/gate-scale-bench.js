'use strict';
// What the stack checks (collisions, gate integrity, the synth-time proof) cost at scale: each
// stack is synthesized twice in a fresh process, once with validations skipped and once with
// them, and the difference is the checks' share. Stacks: N gated APIs (section 2 of run.js, with
// pinned thumbprints and plain backends), one plain API with N operations under one gate, and N
// products each gated and linking its own API. Usage: npm run build && node benchmarks/gate-scale-bench.js
// (BENCH_GATE_SIZES=apis:1000,operations:2000,products:500).
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const CASES = (process.env.BENCH_GATE_SIZES ?? 'apis:1000,operations:2000,products:500').split(',').map((pair) => pair.split(':'));

if (process.argv[2] === 'worker') {
  const [, , , shape, countText, validate, outdir] = process.argv;
  const count = Number(countText);
  const { performance } = require('node:perf_hooks');
  const { App, TerraformStack } = require('cdktf');
  const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
  const { ApiManagementApi } = require('@cdktf/provider-azurerm/lib/api-management-api');
  const { ApiManagementApiOperation } = require('@cdktf/provider-azurerm/lib/api-management-api-operation');
  const { ApiManagementProduct } = require('@cdktf/provider-azurerm/lib/api-management-product');
  const { ApiManagementProductApi } = require('@cdktf/provider-azurerm/lib/api-management-product-api');
  const lib = require('../lib');
  const start = performance.now();
  const app = new App({ outdir, skipValidation: validate !== 'validate' });
  const stack = new TerraformStack(app, 'bench');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const apim = new lib.ApiManagementService(stack, 'Apim', {
    name: 'bench-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'Bench', publisherEmail: 'b@example.com', skuName: 'Developer_1',
  });
  const trust = () => lib.ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']);
  const common = { apiManagementName: apim.name, resourceGroupName: apim.resourceGroupName };
  const plainApi = (id, name) => new ApiManagementApi(stack, id, { ...common, name, revision: '1', displayName: name, path: name, protocols: ['https'] });
  if (shape === 'apis') {
    for (let i = 0; i < count; i++) {
      new lib.ClientCertGatedApi(stack, `Api${i}`, { apiManagement: apim, displayName: `API ${i}`, path: `api-${i}`, serviceUrl: `https://backend-${i}.example.com`, trust: trust() });
    }
  } else if (shape === 'operations') {
    const api = plainApi('Orders', 'orders');
    for (let i = 0; i < count; i++) {
      new ApiManagementApiOperation(stack, `Op${i}`, { ...common, apiName: api.name, operationId: `op-${i}`, displayName: `Op ${i}`, method: 'GET', urlTemplate: `/items-${i}` });
    }
    new lib.ClientCertificateGate(stack, 'Gate', { target: lib.GateTarget.api(api, apim), trust: trust() });
  } else {
    for (let i = 0; i < count; i++) {
      const product = new ApiManagementProduct(stack, `Product${i}`, { ...common, productId: `product-${i}`, displayName: `Product ${i}`, published: true, subscriptionRequired: true });
      const api = plainApi(`ProductApi${i}`, `papi-${i}`);
      new ApiManagementProductApi(stack, `Link${i}`, { ...common, productId: product.productId, apiName: api.name });
      new lib.ClientCertificateGate(stack, `Gate${i}`, { target: lib.GateTarget.product(product), trust: trust() });
    }
  }
  const built = performance.now();
  app.synth();
  const done = performance.now();
  process.stdout.write(JSON.stringify({ constructMs: built - start, synthMs: done - built }));
  process.exit(0);
}

const fmt = (n) => n.toFixed(0);
console.log('| stack | N | synth ms, checks skipped | synth ms, with checks | checks ms |');
console.log('|---|---:|---:|---:|---:|');
for (const [shape, count] of CASES) {
  const run = (validate) => {
    const outdir = mkdtempSync(join(tmpdir(), 'apim-gate-bench-'));
    try {
      return JSON.parse(execFileSync(process.execPath, [__filename, 'worker', shape, count, validate, outdir], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };
  const skipped = run('skip');
  const checked = run('validate');
  console.log(`| ${shape} | ${count} | ${fmt(skipped.synthMs)} | ${fmt(checked.synthMs)} | ${fmt(checked.synthMs - skipped.synthMs)} |`);
}
