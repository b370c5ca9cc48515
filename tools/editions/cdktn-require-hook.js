// @ts-check
/**
 * Loaded with `node --require` into processes that tests start during the cdktn jest run (the
 * example app under ts-node, an app started by `cdktn synth` or `cdktf synth`): every `require`
 * of a cdktf framework module loads its CDK Terrain counterpart, as the edition build's rewrite
 * does. The counterpart is looked up where the requiring file is and, for a scratch app whose
 * node_modules links only the cdktf peers of this repository, in this repository.
 */
const Module = require('node:module');
const { join } = require('node:path');
const { toCdktnModule } = require('./cdktn-modules');

const REPOSITORY = join(__dirname, '..', '..');

/** @type {any} */
const loader = Module;
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function resolveCdktn(/** @type {string} */ request, /** @type {unknown[]} */ ...rest) {
  const cdktn = toCdktnModule(request);
  if (cdktn === undefined) return resolveFilename.call(this, request, ...rest);
  try {
    return resolveFilename.call(this, cdktn, ...rest);
  } catch (error) {
    if (/** @type {{ code?: string }} */ (error).code !== 'MODULE_NOT_FOUND') throw error;
    return require.resolve(cdktn, { paths: [REPOSITORY] });
  }
};
