'use strict';
// Prints how long one require takes in a fresh process. Usage: node load-worker.js <library|submodules|root>
const { performance } = require('node:perf_hooks');
const what = process.argv[2];
const start = performance.now();
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
process.stdout.write(JSON.stringify({ what, ms: performance.now() - start }) + '\n');
