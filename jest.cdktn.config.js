const { join } = require('node:path');
const base = require('./jest.config');
const { cdktnModuleNameMapper } = require('./tools/editions/cdktn-modules');

/*
 * The whole suite again on CDK Terrain: every `cdktf` and `@cdktf/provider-azurerm/lib/...`
 * import (sources and tests) loads `cdktn` and `@cdktn/provider-azurerm/lib/...`, as in the
 * cdktn edition. Processes the tests start inherit a require hook doing the same mapping.
 */
const hook = join(__dirname, 'tools', 'editions', 'cdktn-require-hook.js');
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require "${hook}"`].filter(Boolean).join(' ');
process.env.APIM_MTLS_EDITION = 'cdktn';

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'cdktn',
  moduleNameMapper: cdktnModuleNameMapper(),
  // The packed-package test proves both editions in one run; the docs tests check sources and
  // README text, which no runtime changes.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/package/(packed-package|cdktn-edition-build)\.test\.ts$', '<rootDir>/test/docs/'],
};
