#!/usr/bin/env node
// @ts-check
/**
 * The CDK Terrain CLI for the tests: cdktn-cli 0.24 needs Node >= 22.19, and this project runs
 * on Node 20. Both come from the registry (a Node 22 binary ships in the `node` package), pinned
 * by this folder's lockfile and installed into its node_modules on first use; the project's own
 * node_modules stays on Node 20, since the `node` package would otherwise put Node 22 first on
 * the PATH of every npm script.
 *
 * `node tools/cdktn-cli/toolchain.js synth [args]` runs `cdktn synth` in the current directory.
 */
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { delimiter, dirname, join } = require('node:path');

const DIR = __dirname;
const STAMP = join(DIR, 'node_modules', '.installed-lock-sha256');
const MINIMUM_NODE = [22, 19];

/**
 * @typedef {object} CdktnCli
 * @property {string} node the Node 22 binary
 * @property {string} cli cdktn-cli's entry script, run with `node`
 * @property {string} version cdktn-cli's version
 * @property {(env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv} env an environment whose PATH finds
 *   Node 22 first, so the app `cdktn synth` starts (`node main.js`) runs on the same Node
 */

function lockHash() {
  return createHash('sha256').update(readFileSync(join(DIR, 'package-lock.json'))).digest('hex');
}

/**
 * Installs the toolchain from its lockfile unless this lockfile's install is already there.
 * @returns {CdktnCli}
 */
function ensureCdktnCli() {
  const node = join(DIR, 'node_modules', 'node', 'bin', 'node');
  const cli = join(DIR, 'node_modules', 'cdktn-cli', 'bin', 'cdktn');
  const hash = lockHash();
  const installed = existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash && existsSync(node) && existsSync(cli);
  if (!installed) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
      cwd: DIR,
      stdio: 'pipe',
      timeout: 600000,
      env: installEnvironment(process.env),
    });
    writeFileSync(STAMP, hash);
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major < MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor < MINIMUM_NODE[1])) {
    throw new Error(`tools/cdktn-cli installed Node ${version}; cdktn-cli needs >= ${MINIMUM_NODE.join('.')}. Pin a newer "node" in tools/cdktn-cli/package.json.`);
  }
  return {
    node,
    cli,
    version: JSON.parse(readFileSync(join(DIR, 'node_modules', 'cdktn-cli', 'package.json'), 'utf8')).version,
    env: (env) => ({ ...env, PATH: [dirname(node), env.PATH].filter(Boolean).join(delimiter) }),
  };
}

/**
 * The environment for `npm ci` here: without the npm_* settings of an enclosing `npm test` (its
 * prefix, its package) and without NODE_OPTIONS (the cdktn test run's require hook).
 * @param {NodeJS.ProcessEnv} env
 */
function installEnvironment(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE_OPTIONS'));
}

if (require.main === module) {
  const { node, cli, env } = ensureCdktnCli();
  try {
    execFileSync(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env: env({ CI: 'true', CHECKPOINT_DISABLE: '1', ...process.env }) });
  } catch (error) {
    process.exit(/** @type {{ status?: number }} */ (error).status ?? 1);
  }
}

module.exports = { ensureCdktnCli };
