import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

test('the real `cdktf synth` CLI synthesizes the example app from cdktf.json', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-cli-'));
  execFileSync(join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', outdir], {
    cwd: ROOT,
    // Offline: no version checkpoint, no prompts, no crash reporting.
    env: { ...process.env, CI: 'true', CHECKPOINT_DISABLE: '1' },
    stdio: 'pipe',
    timeout: 300000,
  });
  const stack = JSON.parse(readFileSync(join(outdir, 'stacks', 'partner-gateway', 'cdk.tf.json'), 'utf8'));
  expect(Object.keys(stack.resource.azurerm_api_management_api_policy)).toHaveLength(2);
  expect(Object.keys(stack.resource.azurerm_api_management_api)).toHaveLength(2);
  // The platform team example synthesizes through the real CLI too (checked in examples.test.ts).
  const platform = JSON.parse(readFileSync(join(outdir, 'stacks', 'platform-apis', 'cdk.tf.json'), 'utf8'));
  expect(Object.keys(platform.resource.azurerm_api_management_policy)).toHaveLength(1);
}, 300000);
