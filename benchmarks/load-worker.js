'use strict';
// How long one require takes in a fresh process (wall and CPU). Usage: node load-worker.js <library|submodules|root>
const { performance } = require('node:perf_hooks');
const what = process.argv[2];
const start = performance.now();
const cpuStart = process.cpuUsage();
if (what === 'library') {
  require('../lib');
} else if (what === 'submodules') {
  // What the library itself loads: cdktf, constructs and the provider submodules it uses.
  require('cdktf');
  require('constructs');
  for (const name of [
    'api-management', 'api-management-api', 'api-management-api-operation', 'api-management-api-policy', 'api-management-backend',
    'api-management-certificate', 'api-management-policy', 'api-management-product', 'api-management-product-api',
    'api-management-product-policy', 'data-azurerm-api-management',
  ]) {
    require(`@cdktf/provider-azurerm/lib/${name}`);
  }
} else if (what === 'root') {
  require('cdktf');
  require('@cdktf/provider-azurerm');
}
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(JSON.stringify({ what, ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
