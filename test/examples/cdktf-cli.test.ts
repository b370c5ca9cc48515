import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCdktnCli } from '../../tools/cdktn-cli/toolchain';
import { EDITION } from '../support/edition';

const ROOT = resolve(__dirname, '../..');
// Offline: no version checkpoint, no prompts, no crash reporting.
const OFFLINE = { ...process.env, CI: 'true', CHECKPOINT_DISABLE: '1' };

/** `cdktf synth` (cdktf-cli 0.21 on this Node), or `cdktn synth` (cdktn-cli 0.24 on Node 22). */
function synthesizeWithCli(outdir: string): void {
  const options = { cwd: ROOT, stdio: 'pipe', timeout: 300000 } as const;
  if (EDITION === 'cdktf') {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outdir], { ...options, env: OFFLINE });
  } else {
    const cdktn = ensureCdktnCli();
    execFileSync(cdktn.node, [cdktn.cli, 'synth', '--output', outdir], { ...options, env: cdktn.env(OFFLINE) });
  }
}

test(`the real \`${EDITION} synth\` CLI synthesizes the example app from cdktf.json`, () => {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-cli-'));
  synthesizeWithCli(outdir);
  const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'partner-gateway', 'cdk.tf.json'), 'utf8'));
  expect(Object.keys(stack.resource.azurerm_api_management_api_policy)).toHaveLength(2);
  expect(Object.keys(stack.resource.azurerm_api_management_api)).toHaveLength(2);
  // The platform team example synthesizes through the real CLI too (checked in examples.test.ts).
  const platform = JSON.parse(readFileSync(join(outdir, 'stacks', 'platform-apis', 'cdk.tf.json'), 'utf8'));
  expect(Object.keys(platform.resource.azurerm_api_management_policy)).toHaveLength(1);
  // The app ran on the edition's framework: it writes its own version into the manifest.
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.version).toBe(require(`${EDITION}/package.json`).version);
}, 600000);
