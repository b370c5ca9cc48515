// @ts-check
/**
 * Loaded with `node --require` into processes that tests start during the cdktn jest run (the
 * example app under ts-node, an app started by `cdktn synth`): every `require` of a cdktf
 * framework module loads its CDK Terrain counterpart, as the edition build's rewrite does.
 */
const Module = require('node:module');
const { toCdktnModule } = require('./cdktn-modules');

/** @type {any} */
const loader = Module;
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function resolveCdktn(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  return resolveFilename.call(this, toCdktnModule(request) ?? request, ...rest);
};
