import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { newService } from '../../support/stack';
import { npmRunSynth, scratchApp } from '../../support/readme-app';
import { ANSWER_200, gatedApi, inboundOnly, operationPolicy } from './support';

/*
 * Apps of several stacks. cdktf runs aspects, validates and writes one stack after the other, so
 * a second stack that fails synth would leave the first one written: a half-written cdktf.out.
 * Expected verdict of every failing attempt: synth fails naming the failing stack's construct,
 * and no stack is written.
 */

function app(): { app: App; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'apim-mtls-stacks-'));
  return { app: new App({ outdir }), outdir };
}

function stackWithGate(scope: App, id: string): { stack: TerraformStack; api: ReturnType<typeof gatedApi>; apim: ReturnType<typeof newService> } {
  const stack = new TerraformStack(scope, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const apim = newService(stack);
  return { stack, apim, api: gatedApi(stack, apim) };
}

const written = (outdir: string, stack: string) => existsSync(join(outdir, 'stacks', stack, 'cdk.tf.json'));
const BYPASS = inboundOnly(`${ANSWER_200}<base />`);

test('a bypass in the second stack fails app.synth() naming it, and the first stack is not written', () => {
  const { app: theApp, outdir } = app();
  stackWithGate(theApp, 'first');
  const second = stackWithGate(theApp, 'second');
  operationPolicy(second.stack, second.apim, second.api.api.name, 'get-all', BYPASS);
  expect(() => theApp.synth()).toThrow(/stack "second" \(checked before any stack is written\): \[second\] second\/Gated: .* are answered by the gateway .* because second\/TheirOperationPolicy/);
  expect([written(outdir, 'first'), written(outdir, 'second')]).toEqual([false, false]);
});

test('a library construct with bad input in the second stack fails before the first stack is written', () => {
  const { app: theApp, outdir } = app();
  stackWithGate(theApp, 'first');
  const second = stackWithGate(theApp, 'second');
  // Two APIs on one path: a collision, reported by the second stack's checks.
  new ApiManagementApi(second.stack, 'SamePath', { name: 'other', apiManagementName: second.apim.name, resourceGroupName: second.apim.resourceGroupName, revision: '1', displayName: 'Other', path: 'GATED/', protocols: ['https'] });
  expect(() => theApp.synth()).toThrow(/stack "second" \(checked before any stack is written\): .*second\/SamePath/s);
  expect(written(outdir, 'first')).toBe(false);
});

test('a plain stack without our constructs, coming second, is validated before the first is written too (cdktf\'s own checks)', () => {
  const { app: theApp, outdir } = app();
  stackWithGate(theApp, 'first');
  const plain = new TerraformStack(theApp, 'plain');
  // A resource without a provider in its stack: cdktf's own validation fails.
  new ApiManagementApi(plain, 'Orphan', { name: 'orphan', apiManagementName: 'x', resourceGroupName: 'rg', revision: '1', displayName: 'Orphan', path: 'orphan', protocols: ['https'] });
  expect(() => theApp.synth()).toThrow(/stack "plain" \(checked before any stack is written\): \[plain\] .*provider/i);
  expect(written(outdir, 'first')).toBe(false);
});

test('two correct stacks are both written', () => {
  const { app: theApp, outdir } = app();
  stackWithGate(theApp, 'first');
  stackWithGate(theApp, 'second');
  theApp.synth();
  expect([written(outdir, 'first'), written(outdir, 'second')]).toEqual([true, true]);
});

// DEFECT: aspects of a later stack run only when cdktf reaches that stack (cdktf runs each
// stack's aspects once, right before validating it; running them earlier would run them twice).
// A bypass an aspect adds to the second stack fails synth only after the first stack was written.
test.failing('an aspect that adds a bypass to the second stack fails synth before the first stack is written', () => {
  const { app: theApp, outdir } = app();
  stackWithGate(theApp, 'first');
  const second = stackWithGate(theApp, 'second');
  let added = false;
  const addsBypass: IAspect = {
    visit(node: IConstruct) {
      if (added || node !== second.stack) return;
      added = true;
      operationPolicy(second.stack, second.apim, second.api.api.name, 'get-all', BYPASS, 'AddedByAspect');
    },
  };
  Aspects.of(second.stack).add(addsBypass);
  expect(() => theApp.synth()).toThrow(/AddedByAspect/);
  expect(written(outdir, 'first')).toBe(false);
});

test('through the real cdktf synth: a bypass in the second stack fails, naming it, and cdktf.out holds no stack', () => {
  const dir = scratchApp();
  writeFileSync(
    join(dir, 'main.js'),
    `const { App, TerraformStack } = require('cdktf');
const { AzurermProvider } = require('@cdktf/provider-azurerm/lib/provider');
const { ApiManagementApiOperationPolicy } = require('@cdktf/provider-azurerm/lib/api-management-api-operation-policy');
const { ApiManagementService, ClientCertGatedApi, ClientCertificateTrust } = require('cdktf-apim-mtls');
const app = new App();
for (const id of ['first', 'second']) {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const apim = new ApiManagementService(stack, 'Apim', { name: id + '-apim', resourceGroupName: 'rg', location: 'westeurope', publisherName: 'C', publisherEmail: 'p@contoso.example', skuName: 'Developer_1' });
  const api = new ClientCertGatedApi(stack, 'Gated', { apiManagement: apim, displayName: 'Gated', path: 'gated', serviceUrl: 'https://gated.example.com', trust: ClientCertificateTrust.thumbprints(['A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4']) });
  if (id === 'second') {
    new ApiManagementApiOperationPolicy(stack, 'TheirOperationPolicy', { apiName: api.api.name, apiManagementName: apim.name, resourceGroupName: 'rg', operationId: 'get-all', xmlContent: ${JSON.stringify(BYPASS)} });
  }
}
app.synth();
`,
  );
  const run = npmRunSynth(dir, {});
  expect(run.status).not.toBe(0);
  expect(run.output).toContain('stack "second" (checked before any stack is written)');
  expect(run.output).toContain('second/TheirOperationPolicy');
  expect([written(join(dir, 'cdktf.out'), 'first'), written(join(dir, 'cdktf.out'), 'second')]).toEqual([false, false]);
}, 180000);
