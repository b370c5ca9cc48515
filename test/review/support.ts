import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { GATE_PROOF_CONTEXT } from '../../src';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { ApiManagementService } from '../../src';
import { runCli } from '../../src/cli/cdktf-apim-mtls';
import { expectGoldenFile } from '../support/golden-file';

/** A fixed "now" for expiry arithmetic, so reports are the same on every run. */
export const NOW = new Date('2030-01-01T00:00:00Z');
export const NOW_ARG = '--now=2030-01-01T00:00:00Z';

/** Synthesizes whatever `build` adds to a fresh App into a new temporary directory, as `cdktf synth` would. */
export function synthesize(build: (app: App) => void): string {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-review-'));
  // Heads that weaken a gate on purpose would fail the synth-time proof; the review reads them.
  const app = new App({ outdir, context: { [GATE_PROOF_CONTEXT]: 'warn' } });
  build(app);
  app.synth();
  return outdir;
}

/** A stack with the azurerm provider and a relative state path (no machine path in the JSON). */
export function reviewStack(app: App, id = 'gateway'): TerraformStack {
  const stack = new TerraformStack(app, id);
  new LocalBackend(stack, { path: `terraform.${id}.tfstate` });
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

export function service(stack: TerraformStack, skuName = 'Consumption_0'): ApiManagementService {
  return new ApiManagementService(stack, 'Apim', {
    name: 'contoso-gateway',
    resourceGroupName: 'rg-gateway',
    location: 'westeurope',
    publisherName: 'Contoso',
    publisherEmail: 'platform@contoso.example',
    skuName,
  });
}

/** Runs the command in-process and captures what it prints. */
export function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Compares `markdown` with `test/review/__snapshots__/<name>.md` (see expectGoldenFile). */
export function expectMarkdownSnapshot(name: string, markdown: string): void {
  expectGoldenFile(__dirname, `${name}.md`, markdown);
}
